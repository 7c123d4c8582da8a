// mtqa HTML report: builds the side-by-side rows from each document's JSON data, one
// page at a time, and wires the filters, search, pager, penalty strip, tooltips and the
// j/k (n/p) keyboard navigation. Document text only ever reaches the page through
// textContent and text nodes, never as markup.
"use strict";
(() => {
  const SEV = ["minor", "major", "critical"];
  const docs = [];
  const tip = document.getElementById("tip");
  let tipOwner = null;

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v !== null && v !== undefined && v !== false) e.setAttribute(k, String(v));
      }
    }
    for (const kid of kids) {
      if (kid !== null && kid !== undefined && kid !== "") e.append(kid);
    }
    return e;
  }

  // What `mtqa fix` would write: [proposed segment text, safe]. Text is set as text
  // (el appends strings as text nodes), never parsed as HTML.
  function fixNote(x) {
    const how = x[1] ? "mtqa fix" : "mtqa fix --unsafe-fixes";
    const what = x[0] === "" ? el("em", null, "(removed)") : el("q", null, x[0]);
    return el("span", { class: "fix" }, `Fix (${how}): `, what);
  }

  const num = (x) => x.toLocaleString("en");
  const fmtPenalty = (p) => String(Math.round(p * 10) / 10);
  const level = (p) => (p <= 0 ? "none" : p < 5 ? "minor" : p < 25 ? "major" : "critical");

  // Offsets in the data count code points, as Python does; JavaScript strings count
  // UTF-16 units. Map between them only for text with characters beyond the BMP.
  function unitMap(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return null;
    const map = [0];
    let u = 0;
    for (const ch of text) { u += ch.length; map.push(u); }
    return map;
  }

  // Split a segment into pieces at every span boundary, so that overlapping and nested
  // spans all stay highlighted: each piece knows every issue that covers it (ids) and
  // the issues that start there (starts). Empty spans become insertion-point pieces.
  function pieces(text, spans) {
    const map = unitMap(text);
    const len = map ? map.length - 1 : text.length;
    const at = (p) => (map ? map[p] : p);
    const cuts = new Set([0, len]);
    for (const s of spans) {
      s.a = Math.max(0, Math.min(s.a, len));
      s.z = Math.max(s.a, Math.min(s.z, len));
      cuts.add(s.a); cuts.add(s.z);
    }
    const points = [...cuts].sort((x, y) => x - y);
    const out = [];
    for (let k = 0; k < points.length; k++) {
      const p = points[k];
      const gaps = spans.filter((s) => s.a === p && s.z === p);
      if (gaps.length) out.push({ gap: true, text: "", ids: gaps.map((s) => s.n), starts: gaps.map((s) => s.n) });
      if (k + 1 < points.length) {
        const q = points[k + 1];
        const cover = spans.filter((s) => s.z > s.a && s.a <= p && s.z >= q);
        out.push({ gap: false, text: text.slice(at(p), at(q)), ids: cover.map((s) => s.n),
                   starts: cover.filter((s) => s.a === p).map((s) => s.n),
                   whole: cover.length > 0 && cover.every((s) => s.a === 0 && s.z === len) });
      }
    }
    return out;
  }

  function lineLabel(lines, inSource) {
    const u = [...new Set(lines)].sort((a, b) => a - b);
    const where = u.length === 1 ? `line ${u[0]}` : `lines ${u[0]}–${u[u.length - 1]}`;
    return inSource ? `${where} (source)` : where;
  }

  class Doc {
    constructor(section, data) {
      this.section = section;
      this.data = data;
      this.id = data.id;
      this.table = section.querySelector("table.beads");
      this.form = section.querySelector("form.filters");
      this.statusEl = section.querySelector(".status");
      this.pager = section.querySelector(".pager");
      this.pageSize = 100;
      this.page = 0;
      this.current = -1;
      this.navigating = -1; // the issue being moved to with j/k, while focus moves
      this.cols = 3 + (data.src ? 1 : 0) + (data.ref ? 1 : 0);
      this.byBead = data.beads.map(() => []);
      this.spans = { src: new Map(), tgt: new Map() };
      const add = (map, loc, n) => {
        if (!map.has(loc[0])) map.set(loc[0], []);
        map.get(loc[0]).push([loc[1], loc[2], n]);
      };
      data.issues.forEach((it, n) => {
        if (it.b !== undefined) this.byBead[it.b].push(n);
        if (it.t) add(this.spans.tgt, it.t, n);
        if (it.o && data.src) add(this.spans.src, it.o, n);
      });
      this.haystack = null;
      this.bind();
      this.apply();
    }

    // ---- filtering -------------------------------------------------------------
    filters() {
      const checked = (name) => new Set(
        [...this.form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value));
      return {
        sev: new Set([...checked("sev")].map(Number)),
        cat: checked("cat"),
        code: checked("code"),
        q: this.form.elements.q.value.trim().toLocaleLowerCase(),
        only: this.form.elements.only.checked,
      };
    }

    text(b) {
      if (!this.haystack) {
        const d = this.data;
        this.haystack = d.beads.map(([s, t, r], k) => {
          const parts = [];
          if (d.src) for (const i of s) parts.push(d.src[i]);
          for (const i of t) parts.push(d.tgt[i]);
          if (d.ref) for (const i of r) parts.push(d.ref[i]);
          for (const n of this.byBead[k]) {
            const it = d.issues[n];
            parts.push(it.c, d.names[it.c] || "", d.cats[it.k], it.m, it.g || "");
          }
          return parts.join("\n").toLocaleLowerCase();
        });
      }
      return this.haystack[b];
    }

    apply() {
      const f = this.filters();
      const key = JSON.stringify([[...f.sev], [...f.cat], [...f.code], f.q, f.only]);
      if (key === this.applied) return; // e.g. the change event after a debounced search
      this.applied = key;
      const d = this.data;
      const facet = f.sev.size > 0 || f.cat.size > 0 || f.code.size > 0;
      this.match = d.issues.map((it) => (!f.sev.size || f.sev.has(it.s))
        && (!f.cat.size || f.cat.has(d.cats[it.k])) && (!f.code.size || f.code.has(it.c)));
      const rows = [];
      for (let b = 0; b < d.beads.length; b++) {
        const own = this.byBead[b];
        if (facet ? !own.some((n) => this.match[n]) : f.only && !own.length) continue;
        if (f.q && !this.text(b).includes(f.q)) continue;
        rows.push(b);
      }
      this.rows = rows;
      this.rowIndex = new Map(rows.map((b, k) => [b, k]));
      this.nav = [];
      for (const b of rows) for (const n of this.byBead[b]) if (this.match[n]) this.nav.push(n);
      this.filtered = facet || f.only || f.q !== "";
      this.page = 0;
      this.render();
    }

    clearFilters() {
      for (const input of this.form.querySelectorAll("input[type=checkbox]")) input.checked = false;
      this.form.elements.q.value = "";
      this.apply();
    }

    // ---- rendering -------------------------------------------------------------
    render(all = false) {
      hideTip();
      for (const tb of [...this.table.tBodies]) tb.remove();
      const start = all ? 0 : this.page * this.pageSize;
      const slice = all ? this.rows : this.rows.slice(start, start + this.pageSize);
      const frag = document.createDocumentFragment();
      for (const b of slice) frag.append(this.row(b));
      this.table.append(frag);
      this.showStatus(start, slice.length);
      this.showPager();
    }

    showStatus(start, count, extra) {
      const total = this.data.beads.length;
      let text;
      if (!this.rows.length) {
        text = total ? "No bead matches the filters." : "This document has no segments.";
      } else {
        text = `Beads ${num(start + 1)}–${num(start + count)} of ${num(this.rows.length)}`;
        if (this.filtered) text += ` matching (${num(total)} in all)`;
        text += ` · ${num(this.nav.length)} issue${this.nav.length === 1 ? "" : "s"}`;
      }
      this.statusEl.textContent = extra ? `${text}. ${extra}` : text;
    }

    say(message) {
      const start = this.page * this.pageSize;
      this.showStatus(start, Math.min(this.pageSize, this.rows.length - start), message);
    }

    showPager() {
      const pages = Math.max(1, Math.ceil(this.rows.length / this.pageSize));
      this.pager.hidden = pages <= 1;
      this.pager.querySelector(".page-of").textContent = `Page ${num(this.page + 1)} of ${num(pages)}`;
      for (const btn of this.pager.querySelectorAll("button[data-page]")) {
        const back = btn.dataset.page === "first" || btn.dataset.page === "prev";
        btn.disabled = back ? this.page === 0 : this.page >= pages - 1;
      }
    }

    row(b) {
      const d = this.data;
      const [s, t, r, penalty] = d.beads[b];
      const tbody = el("tbody", { id: `${this.id}-b${b + 1}`, class: "bead" });
      const head = el("th", { scope: "row" },
        el("a", { href: `#${this.id}-b${b + 1}`, "aria-label": `Bead ${b + 1}` }, String(b + 1)));
      const lines = t.length ? t.map((i) => d.tgtLines[i]) : d.src ? s.map((i) => d.srcLines[i]) : [];
      if (lines.length) head.append(el("span", { class: "ln" }, lineLabel(lines, !t.length)));
      const tr = el("tr", null, head);
      if (d.src) tr.append(this.cell("src", s));
      tr.append(this.cell("tgt", t));
      if (d.ref) tr.append(this.cell("ref", r));
      tr.append(el("td", { class: "pen" }, penalty > 0
        ? el("span", { class: `pen-badge lvl-${level(penalty)}` }, fmtPenalty(penalty)) : ""));
      tbody.append(tr);
      const own = this.byBead[b];
      if (own.length) {
        const list = el("ul", { class: "issue-list", "aria-label": `Issues in bead ${b + 1}` });
        for (const n of own) list.append(this.issueItem(n));
        tbody.append(el("tr", { class: "iss" }, el("td"), el("td", { colspan: this.cols - 1 }, list)));
      }
      return tbody;
    }

    cell(side, segs) {
      const d = this.data;
      const td = el("td", { class: side });
      if (!segs.length) {
        if (side === "tgt") td.append(el("span", { class: "marker omission" }, "Omission: no translation for this source"));
        else if (side === "src") td.append(el("span", { class: "marker addition" }, "Addition: no source for this translation"));
        return td;
      }
      segs.forEach((i, k) => {
        if (k && d.sep[side]) td.append(d.sep[side]);
        td.append(this.segment(side, i));
      });
      return td;
    }

    segment(side, i) {
      const d = this.data;
      const text = d[side][i];
      const span = el("span", { class: "seg", lang: d.lang[side] });
      const spans = side === "ref" ? null : this.spans[side].get(i);
      if (!spans) {
        span.append(text);
        return span;
      }
      for (const p of pieces(text, spans.map(([a, z, n]) => ({ a, z, n })))) {
        if (p.ids.length) span.append(this.mark(p));
        else if (p.text) span.append(p.text);
      }
      return span;
    }

    mark(p) {
      const d = this.data;
      const on = p.ids.filter((n) => this.match[n]);
      const worst = Math.max(...(on.length ? on : p.ids).map((n) => d.issues[n].s));
      const classes = ["m", `sev-${SEV[worst]}`];
      if (p.ids.length > 1) classes.push("multi");
      if (p.gap) classes.push("gap");
      if (p.whole && p.text.length > 0) classes.push("whole"); // flags the segment, not a phrase
      if (!on.length) classes.push("off");
      const m = el("mark", {
        class: classes.join(" "),
        "data-i": p.ids.join(" "),
        "data-a": p.starts.length ? p.starts.join(" ") : null,
        tabindex: p.starts.length ? "0" : null,
        "aria-describedby": "tip",
        "aria-label": p.gap ? "missing text here" : null,
      }, p.text);
      return m;
    }

    // "line:column" positions in a consistency message, as links to their beads.
    linked(it) {
      const d = this.data;
      if (!it.c.startsWith("CO") || !d.tgtLines) return [it.m];
      if (!this.beadOfTarget) {
        this.beadOfTarget = new Map();
        d.beads.forEach((bead, b) => bead[1].forEach((t) => this.beadOfTarget.set(t, b)));
      }
      const out = [];
      let last = 0;
      for (const m of it.m.matchAll(/\b(\d+):(\d+)\b/g)) {
        const line = Number(m[1]);
        const col = Number(m[2]);
        let seg = -1;  // the last segment that starts at or before line:col
        for (let i = 0; i < d.tgtLines.length; i++) {
          const l = d.tgtLines[i];
          if (l > line || (l === line && d.tgtCols && d.tgtCols[i] > col)) break;
          seg = i;
        }
        const b = this.beadOfTarget.get(seg);
        if (b === undefined) continue;
        out.push(it.m.slice(last, m.index),
                 el("a", { href: `#${this.id}-b${b + 1}`, title: `Bead ${b + 1}` }, m[0]));
        last = m.index + m[0].length;
      }
      out.push(it.m.slice(last));
      return out;
    }

    issueItem(n) {
      const d = this.data;
      const it = d.issues[n];
      const sev = SEV[it.s];
      const li = el("li", { id: `${this.id}-i${n + 1}`, class: `issue sev-${sev}${this.match[n] ? "" : " off"}`,
                            "data-i": n, tabindex: "-1" },
        el("span", { class: `sev-badge sev-${sev}` }, sev), " ",
        el("code", { title: d.names[it.c] || null }, it.c), " ",
        el("span", { class: "cat" }, d.cats[it.k]), " ", ...this.linked(it));
      if (it.l) {
        const side = it.t ? "" : " of the source";
        const unit = it.u ? `, unit ${it.u}` : "";
        li.append(" ", el("span", { class: "where" }, `(line ${it.l[0]}, column ${it.l[1]}${side}${unit})`));
      }
      if (it.g) li.append(" ", el("span", { class: "sugg" }, "Suggestion: ", el("code", { class: "sugg-text" }, it.g)));
      if (it.x) li.append(" ", fixNote(it.x));
      return li;
    }

    // ---- moving around ---------------------------------------------------------
    showPage(page) {
      if (page !== this.page) {
        this.page = page;
        this.render();
      }
    }

    step(dir) {
      if (!this.nav.length) {
        this.say("No issue matches the filters.");
        return;
      }
      const k = this.nav.indexOf(this.current);
      let next;
      if (k >= 0) {
        next = k + dir;
      } else {
        // Nothing chosen yet: start from the page on screen.
        const first = this.page * this.pageSize;
        const rowOf = (n) => this.rowIndex.get(this.data.issues[n].b);
        const idx = this.nav.findIndex((n) => rowOf(n) >= first);
        next = dir > 0 ? (idx < 0 ? this.nav.length : idx) : (idx < 0 ? this.nav.length : idx) - 1;
      }
      let note = "";
      if (next >= this.nav.length) { next = 0; note = " (back at the first issue)"; }
      if (next < 0) { next = this.nav.length - 1; note = " (back at the last issue)"; }
      this.focusIssue(this.nav[next], note);
    }

    focusIssue(n, note = "") {
      const it = this.data.issues[n];
      const k = this.rowIndex.get(it.b);
      if (k === undefined) return false;
      this.showPage(Math.floor(k / this.pageSize));
      const body = document.getElementById(`${this.id}-b${it.b + 1}`);
      const target = body.querySelector(`td.tgt mark[data-a~="${n}"]`)
        || body.querySelector(`mark[data-a~="${n}"]`)
        || document.getElementById(`${this.id}-i${n + 1}`);
      this.navigating = n;
      target.focus({ preventScroll: true });
      this.navigating = -1;
      target.scrollIntoView({ block: "center" });
      if (target.matches("mark.m")) showTip(this, target, [n]);
      this.current = n;
      const pos = this.nav.indexOf(n);
      this.say(`Issue ${num(pos + 1)} of ${num(this.nav.length)}${note}: ${it.c} ${SEV[it.s]}, ${it.m}`);
      return true;
    }

    // Show bead b (0-based), clearing the filters if they hide it.
    jump(b) {
      if (b < 0 || b >= this.data.beads.length) return;
      let note = "";
      if (!this.rowIndex.has(b)) {
        this.clearFilters();
        note = "Filters cleared to show it.";
      }
      this.showPage(Math.floor(this.rowIndex.get(b) / this.pageSize));
      const body = document.getElementById(`${this.id}-b${b + 1}`);
      body.classList.remove("flash");
      void body.offsetWidth; // restart the highlight animation
      body.classList.add("flash");
      body.querySelector("th a").focus({ preventScroll: true });
      body.scrollIntoView({ block: "center" });
      this.say(`Bead ${num(b + 1)}. ${note}`.trim());
    }

    openIssue(n) {
      const it = this.data.issues[n];
      if (!it) return;
      if (it.b === undefined) {
        const li = document.getElementById(`${this.id}-i${n + 1}`);
        if (li) { li.focus({ preventScroll: true }); li.scrollIntoView({ block: "center" }); }
        return;
      }
      if (!this.rowIndex.has(it.b) || !this.match[n]) this.clearFilters();
      this.focusIssue(n);
    }

    stripClick(event, svg) {
      const rect = event.target.closest ? event.target.closest("rect[data-b]") : null;
      if (rect) {
        this.jump(Number(rect.dataset.b) - 1);
        return;
      }
      const box = svg.getBoundingClientRect();
      const cells = Number(svg.dataset.cells);
      const beads = Number(svg.dataset.beads);
      const cell = Math.max(0, Math.min(cells - 1, Math.floor(((event.clientX - box.left) / box.width) * cells)));
      this.jump(Math.floor((cell * beads) / cells));
    }

    bind() {
      this.form.addEventListener("submit", (e) => e.preventDefault());
      // Ticks apply at once; typed search text after a pause, or at once on Enter.
      this.form.addEventListener("change", () => this.apply());
      let timer = 0;
      this.form.addEventListener("input", (e) => {
        if (e.target.name !== "q") return;
        clearTimeout(timer);
        timer = setTimeout(() => this.apply(), 150);
      });
      this.form.addEventListener("reset", (e) => {
        e.preventDefault();
        this.clearFilters();
      });
      for (const btn of this.section.querySelectorAll(".toolbar button[data-act]")) {
        btn.addEventListener("click", () => this.step(btn.dataset.act === "next" ? 1 : -1));
      }
      for (const btn of this.pager.querySelectorAll("button[data-page]")) {
        btn.addEventListener("click", () => {
          const last = Math.max(0, Math.ceil(this.rows.length / this.pageSize) - 1);
          const to = { first: 0, prev: this.page - 1, next: this.page + 1, last }[btn.dataset.page];
          this.showPage(Math.max(0, Math.min(last, to)));
          this.table.scrollIntoView({ block: "start" });
        });
      }
      this.pager.querySelector("select").addEventListener("change", (e) => {
        this.pageSize = Number(e.target.value);
        this.page = 0;
        this.render();
      });
      const svg = this.section.querySelector("svg.strip-svg");
      if (svg) svg.addEventListener("click", (e) => this.stripClick(e, svg));
      this.table.addEventListener("focusin", (e) => {
        const t = e.target;
        if (t.matches("mark.m")) {
          if (this.navigating >= 0) return; // focusIssue shows its own issue
          this.current = Number((t.dataset.a || t.dataset.i).split(" ")[0]);
          showTip(this, t);
        } else if (t.matches("li.issue")) {
          this.current = Number(t.dataset.i);
        }
      });
      this.table.addEventListener("focusout", (e) => { if (e.target === tipOwner) hideTip(); });
      this.table.addEventListener("mouseover", (e) => {
        const t = e.target.closest("mark.m");
        if (t && t !== tipOwner) showTip(this, t);
      });
      this.table.addEventListener("mouseout", (e) => {
        const t = e.target.closest("mark.m");
        if (t && t === tipOwner && document.activeElement !== t
            && !(e.relatedTarget && t.contains(e.relatedTarget))) hideTip();
      });
    }
  }

  // ---- the tooltip: the issues of a highlighted piece (or just the one moved to) ----
  function showTip(doc, mark, only) {
    hideTip();
    const d = doc.data;
    const ids = only || mark.dataset.i.split(" ").map(Number);
    tip.replaceChildren(...ids.map((n) => {
      const it = d.issues[n];
      const p = el("p", null, el("span", { class: `sev-badge sev-${SEV[it.s]}` }, SEV[it.s]), " ",
        el("code", null, it.c), " ", el("strong", null, d.names[it.c] || ""), el("br"), ...doc.linked(it));
      if (it.g) p.append(el("br"), el("span", { class: "sugg" }, "Suggestion: ", el("code", { class: "sugg-text" }, it.g)));
      if (it.x) p.append(el("br"), fixNote(it.x));
      return p;
    }));
    tip.hidden = false;
    const box = mark.getBoundingClientRect();
    const width = tip.offsetWidth;
    const maxLeft = window.scrollX + document.documentElement.clientWidth - width - 8;
    tip.style.left = `${Math.max(window.scrollX + 4, Math.min(window.scrollX + box.left, maxLeft))}px`;
    tip.style.top = `${window.scrollY + box.bottom + 6}px`;
    tipOwner = mark;
    const body = mark.closest("tbody");
    for (const n of ids) {
      for (const other of doc.table.querySelectorAll(`mark[data-i~="${n}"]`)) other.classList.add("hot");
      const li = body && body.querySelector(`li[data-i="${n}"]`);
      if (li) li.classList.add("hot");
    }
  }

  function hideTip() {
    if (!tip || tip.hidden) return;
    tip.hidden = true;
    tipOwner = null;
    for (const e of document.querySelectorAll(".hot")) e.classList.remove("hot");
  }

  // ---- page-wide wiring -------------------------------------------------------
  function docForKeys() {
    const focused = docs.find((d) => d.section.contains(document.activeElement));
    if (focused) return focused;
    return docs.find((d) => d.section.getBoundingClientRect().bottom > 0) || docs[0];
  }

  const TEXT_ENTRY = "input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=reset]), textarea, select, [contenteditable]";

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Escape") hideTip();
    if (e.target instanceof Element && e.target.matches(TEXT_ENTRY)) return;
    const doc = docForKeys();
    if (!doc) return;
    if (e.key === "j" || e.key === "n") { e.preventDefault(); doc.step(1); }
    else if (e.key === "k" || e.key === "p") { e.preventDefault(); doc.step(-1); }
    else if (e.key === "/") { e.preventDefault(); doc.form.elements.q.focus(); }
  });

  function route() {
    const m = /^#(d\d+)-([bi])(\d+)$/.exec(window.location.hash);
    if (!m) return;
    const doc = docs.find((d) => d.id === m[1]);
    if (!doc) return;
    const k = Number(m[3]) - 1;
    if (m[2] === "b") doc.jump(k);
    else doc.openIssue(k);
  }

  async function load(script) {
    const text = script.textContent;
    if (script.dataset.encoding !== "gzip+base64") return JSON.parse(text);
    const bin = atob(text.trim());
    const bytes = new Uint8Array(bin.length);
    for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }

  async function init() {
    for (const section of document.querySelectorAll("section.doc")) {
      const script = section.querySelector("script.data");
      try {
        docs.push(new Doc(section, await load(script)));
      } catch (err) {
        section.querySelector(".status").textContent = `The side-by-side view could not be built: ${err}`;
        throw err;
      }
    }
    window.addEventListener("hashchange", route);
    window.addEventListener("beforeprint", () => { for (const d of docs) d.render(true); });
    window.addEventListener("afterprint", () => { for (const d of docs) d.render(); });
    window.addEventListener("resize", hideTip);
    route();
    document.documentElement.dataset.ready = "true";
  }

  init();
})();
