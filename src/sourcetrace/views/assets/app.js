/* sourcetrace viewer: one script for the HTML report (data embedded) and the app (data from /api).
 *
 * Crawled text is hostile: every string from the case is inserted with
 * textContent / createTextNode, never as markup, and links are only made from
 * http(s) URLs. No eval, no inline handlers, so a strict CSP holds.
 */
"use strict";
(function () {
  const KINDS = ["origin", "exact", "near_exact", "excerpt", "rewrite", "capture"];
  const KIND_LABEL = { origin: "origin", exact: "exact copy", near_exact: "near-exact copy", excerpt: "excerpt", rewrite: "rewrite", capture: "capture" };
  const KIND_HELP = {
    origin: "the text the others descend from",
    exact: "the same words",
    near_exact: "the same article with small edits",
    excerpt: "a part of the other",
    rewrite: "rewritten sentence by sentence",
    capture: "the same page collected again (the same URL): one page, not a copy",
  };
  // The provenance graph's legend for dashed arrows (views.DASHED_LEGEND).
  const DASHED_LEGEND = "dashed: the evidence does not decide which text was copied";
  const PER_PAGE = 50;
  const MARK_START = "\u0002", MARK_END = "\u0003";

  // ---- DOM helpers --------------------------------------------------------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }
  function s(tag, attrs, ...children) {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }
  function setAttrs(el, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "on") { for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn); }
      else if (key === "class") el.setAttribute("class", value);
      else el.setAttribute(key, String(value));
    }
  }
  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) { return null; }
  }
  function outletLink(seg) {
    const href = seg.url ? safeUrl(seg.url) : null;
    const label = seg.site || (href ? new URL(href).host : null) || basename(seg.path);
    return href ? h("a", { href, rel: "noopener noreferrer nofollow", target: "_blank", class: "ext" }, label) : h("span", { class: "outlet" }, label);
  }
  function outletName(seg) {
    const href = seg.url ? safeUrl(seg.url) : null;
    return seg.site || (href ? new URL(href).host.replace(/^www\./, "") : basename(seg.path));
  }
  function basename(path) { return String(path || "").split(/[\\/]/).pop(); }

  // An outlet's type (docs/sources.md) beside its name; a suggestion is marked as one, never shown as the type.
  function sourceOf(seg) {
    return seg && seg.source !== null && seg.source !== undefined ? state.sources.byId.get(seg.source) || null : null;
  }
  function sourceNamed(name) { return name ? state.sources.byName.get(String(name).trim().toLowerCase()) || null : null; }
  function typeLabel(type) { return String(type).replace(/_/g, " "); }
  function typeChips(src) {
    if (!src) return null;
    const origin = src.set_by_user ? "set by you" : src.listed_in ? "from the " + src.listed_in + " list" : "not on the shipped lists";
    return [" ", h("span", { class: "stype t-" + src.type, "data-type": src.type, title: "outlet type (" + origin + ")" + (src.typology ? ", typology " + src.typology : "") }, typeLabel(src.type)),
      src.suggested_type ? [" ", h("span", { class: "stype suggested", "data-suggested": src.suggested_type,
        title: "a suggestion read off its behaviour, not its type: " + (src.evidence || "") }, "suggested: " + typeLabel(src.suggested_type))] : null];
  }
  function outlet(seg) { return h("span", { class: "outlet-typed" }, outletLink(seg), typeChips(sourceOf(seg))); }
  function creditOf(seg) { return seg.credit ? h("span", { class: "credit" }, "credit: " + seg.credit, typeChips(sourceNamed(seg.credit))) : null; }
  function sourceIndex(list) {
    const byId = new Map(), byName = new Map();
    for (const src of list || []) {  // most segments first, so a name seen under two outlets means the larger
      byId.set(src.id, src);
      for (const name of [src.name, ...src.names]) if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), src);
    }
    return { byId, byName };
  }
  function kindChip(kind) {
    return h("span", { class: "chip k-" + kind, title: KIND_HELP[kind] || "" }, KIND_LABEL[kind] || kind);
  }
  function legend() {
    return h("div", { class: "legend", "aria-label": "kinds" },
      KINDS.map((k) => h("span", { class: "legend-item" }, h("span", { class: "swatch k-" + k }), KIND_LABEL[k], h("small", {}, " — " + KIND_HELP[k]))));
  }
  function fmtDate(d) { return d ? String(d).replace("T", " ").replace(/:00Z$|Z$/, "") : "undated"; }
  function plural(n, word, many) { return n.toLocaleString("en") + " " + (n === 1 ? word : many || word + "s"); }
  function link(hash, ...children) { return h("a", { href: hash }, ...children); }
  function title(seg) { return seg.title || "(untitled)"; }

  // ---- offsets and citations ---------------------------------------------

  // A segment's text is documents.text[start:end] with `removed` cut out: map back for citing.
  function segToDoc(seg, offset) {
    let position = seg.start + offset;
    for (const [rs, re] of seg.removed) {
      if (rs > position) break;
      position += re - rs;
    }
    return position;
  }
  function citation(seg, start, end, quote) {
    const docStart = segToDoc(seg, start), docEnd = end === null ? seg.end : segToDoc(seg, end);
    return [
      "“" + quote.replace(/\s+/g, " ").trim() + "”",
      title(seg) + (seg.site ? " — " + seg.site : "") + (seg.published ? ", " + seg.published : ""),
      "URL: " + (seg.url || "none recorded"),
      "Input file: " + seg.path,
      "Input SHA-256: " + seg.sha256,
      ...(seg.warc_record_id ? ["WARC-Record-ID: " + seg.warc_record_id] : []),
      ...(seg.warc_target_uri ? ["WARC-Target-URI: " + seg.warc_target_uri] : []),
      "Span: characters " + docStart + "–" + docEnd + " of the extracted text of document " + seg.document + " (segment " + seg.id + ")",
      "Case: " + state.caseName + " (sourcetrace)",
    ].join("\n");
  }
  function citeButton(seg, start, end, quote) {
    return h("button", { class: "cite", type: "button", title: "Copy a citation: quote, URL, input SHA-256 and character span",
      on: { click: (ev) => copyText(citation(seg, start, end, quote), ev.currentTarget) } }, "Cite");
  }
  function copyText(text, button) {
    const done = () => { toast("Citation copied to the clipboard"); if (button) button.dataset.copied = "1"; };
    const fallback = () => {
      const area = h("textarea", { class: "offscreen", readonly: "readonly" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) done(); else showCitation(text);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }
  function showCitation(text) {  // last resort: let the person copy it by hand
    const area = h("textarea", { class: "citation-box", readonly: "readonly", rows: 8 });
    area.value = text;
    const box = h("div", { class: "dialog" }, h("p", {}, "Copying is blocked here; select and copy the citation:"), area,
      h("button", { type: "button", on: { click: () => box.remove() } }, "Close"));
    document.body.appendChild(box);
    area.select();
  }
  function toast(message) {
    const el = h("div", { class: "toast", role: "status" }, message);
    document.body.appendChild(el);
    setTimeout(() => el.remove(), 2500);
  }

  // ---- data sources -------------------------------------------------------

  function ApiSource() {
    const get = (path, params) => {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== "") query.set(k, v);
      return fetch("/api/" + path + (query.toString() ? "?" + query : ""), { headers: { Accept: "application/json" } })
        .then((r) => (r.status === 404 ? null : r.ok ? r.json() : Promise.reject(new Error("server said " + r.status))));
    };
    return {
      mode: "app",
      overview: () => get("overview"),
      families: (p) => get("families", p),
      family: (id) => get("family/" + id),
      pair: (id) => get("pair/" + id),
      search: (p) => get("search", p),
      document: (id) => get("document/" + id),
      problems: (p) => get("problems", p),
      statements: (p) => get("statements", p),
      statement: (id) => get("statement/" + id),
      stories: (p) => get("stories", p),
      story: (id) => get("story/" + id),
      claims: (p) => get("claims", p),
      claim: (id) => get("claim/" + id),
      sources: () => get("sources"),
      timeline: (p) => get("timeline", p),
    };
  }

  function EmbeddedSource(data) {
    data.families.forEach((f) => f.members.forEach((m) => { m.segment = data.segments[m.segment]; }));
    const families = new Map(data.families.map((f) => [f.id, f]));
    const stories = new Map(data.stories.map((st) => [st.id, st]));
    const claims = new Map((data.claims || []).map((c) => [c.id, c]));
    const page = (items, p) => {
      const n = Math.max(1, parseInt(p.page || "1", 10) || 1);
      return { items: items.slice((n - 1) * PER_PAGE, n * PER_PAGE), page: n, per_page: PER_PAGE, total: items.length };
    };
    const memberOf = (id) => {
      const seg = data.segments[id];
      const family = seg && seg.family !== null ? families.get(seg.family) : null;
      return family ? family.members.find((m) => m.segment.id === id) : null;
    };
    return {
      mode: "report",
      limits: data.limits,
      overview: () => Promise.resolve(data.overview),
      families: (p) => Promise.resolve(page(data.summaries, p)),
      family: (id) => Promise.resolve(families.get(Number(id)) || null),
      pair: (id) => {
        const member = memberOf(Number(id));
        if (!member || member.compare_with === null) return Promise.resolve(null);
        const parent = data.segments[member.compare_with];
        return Promise.resolve({ copy: member.segment, parent, kind: member.kind, score: member.score,
          copy_text: data.texts[member.segment.id], parent_text: data.texts[parent.id], passages: member.passages });
      },
      search: (p) => Promise.resolve(page(embeddedSearch(data, p), p)),
      document: (id) => Promise.resolve(data.documents[id] || null),
      problems: (p) => Promise.resolve(page(data.problems, p)),
      statements: (p) => Promise.resolve(page(data.statements.map((d) => d.statement).filter((st) =>
        (!p.speaker || st.speaker.toLowerCase().includes(p.speaker.toLowerCase())) && (!p.altered || st.altered > 0)), p)),
      statement: (id) => Promise.resolve(data.statements.find((d) => String(d.statement.id) === String(id)) || null),
      stories: (p) => Promise.resolve(page(data.stories, p)),
      story: (id) => {  // as the app's StoryView: its segments by id in the report, like a family's members
        const view = data.story_views[id], summary = stories.get(Number(id));
        if (!view || !summary) return Promise.resolve(null);
        return Promise.resolve({ story: summary, families: view.families, segments: view.segments.map((i) => data.segments[i]).filter(Boolean),
          statements: view.statements, events: view.events });
      },
      claims: (p) => Promise.resolve(page((data.claims || []).filter((c) => !p.story || c.stories.map(String).includes(String(p.story))), p)),
      claim: (id) => {  // as the app's ClaimView: each position's segment by id in the report
        const view = (data.claim_views || {})[id], summary = claims.get(Number(id));
        if (!view || !summary) return Promise.resolve(null);
        const sides = (list) => list.map((pos) => Object.assign({}, pos, { segment: data.segments[pos.segment] })).filter((pos) => pos.segment);
        return Promise.resolve({ claim: summary, supporting: sides(view.supporting), contesting: sides(view.contesting),
          reporting: sides(view.reporting), statements: view.statements });
      },
      sources: () => Promise.resolve(data.sources),
      timeline: (p) => {  // a story's own events are embedded whole, the case's up to the report's budget
        const view = p.story ? data.story_views[p.story] : null;
        const events = view ? view.events : p.story ? data.events.filter((e) => String(e.story) === String(p.story)) : data.events;
        return Promise.resolve(page(p.kind ? events.filter((e) => e.kind === p.kind) : events, p));
      },
    };
  }

  // Whole words, as the app's full-text index matches them: "council" does not find "councillor".
  function termPattern(term) {
    const escaped = term.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\p{P}]+");
    return new RegExp("(?<![\\p{L}\\p{N}])" + escaped + "(?![\\p{L}\\p{N}])", "giu");
  }
  function embeddedSearch(data, p) {
    const terms = [];
    String(p.q || "").replace(/"([^"]*)"|(\S+)/g, (m, phrase, word) => { const t = (phrase || word || "").trim(); if (t) terms.push(termPattern(t)); return m; });
    const outlet = (p.outlet || "").toLowerCase();
    const hits = [];
    for (const seg of Object.values(data.segments)) {
      if (seg.duplicate_of !== null) continue;
      if (p.kind && seg.kind !== p.kind) continue;
      if (p.family && String(seg.family) !== String(p.family)) continue;
      if (outlet && ![seg.site, seg.credit, seg.url, seg.path].join(" ").toLowerCase().includes(outlet)) continue;
      if (p.from && !(seg.published && seg.published >= p.from)) continue;
      if (p.to && !(seg.published && seg.published < p.to + "\uffff")) continue;
      const text = data.texts[seg.id];
      if (terms.length) {
        if (text === undefined || !terms.every((re) => { re.lastIndex = 0; return re.test(text); })) continue;
        hits.push({ segment: seg, snippet: makeSnippet(text, terms) });
      } else {
        hits.push({ segment: seg, snippet: text === undefined ? "" : text.slice(0, 240) });
      }
    }
    hits.sort((a, b) => a.segment.id - b.segment.id);
    return hits;
  }
  function makeSnippet(text, terms) {
    terms[0].lastIndex = 0;
    const first = terms[0].exec(text).index;
    const from = Math.max(0, first - 90), to = Math.min(text.length, first + 160);
    const piece = text.slice(from, to), spans = [];
    for (const re of terms) { re.lastIndex = 0; let m; while ((m = re.exec(piece)) !== null) spans.push([m.index, m.index + m[0].length]); }
    spans.sort((a, b) => a[0] - b[0]);
    let out = "", at = 0;
    for (const [a, b] of spans) { if (a < at) continue; out += piece.slice(at, a) + MARK_START + piece.slice(a, b) + MARK_END; at = b; }
    return (from > 0 ? "…" : "") + out + piece.slice(at) + (to < text.length ? "…" : "");
  }

  // ---- views ---------------------------------------------------------------

  const state = { source: null, caseName: "", sources: sourceIndex([]), ready: Promise.resolve(), routed: 0 };
  const VIEWS = {};  // name -> (arg, params) => Promise<Node>; a statements view plugs in here

  VIEWS.overview = () => state.source.overview().then((o) => {
    const share = o.kept ? o.copies / o.kept : 0;
    const cards = h("div", { class: "cards" },
      card("Inputs", o.inputs.toLocaleString("en"), (o.input_bytes / 1048576).toFixed(1) + " MB read"),
      card("Documents", o.documents.toLocaleString("en"), "pages found in the inputs"),
      card("Segments", o.segments.toLocaleString("en"), o.repeats.toLocaleString("en") + " repeated within their page"),
      card("Families with copies", o.families_with_copies.toLocaleString("en"), o.singletons.toLocaleString("en") + " independent segments", "#/families"),
      card("Copies", (100 * share).toFixed(0) + "%", o.copies.toLocaleString("en") + " of " + o.kept.toLocaleString("en") + " segments derive from another"),
      card("Stories", o.stories.toLocaleString("en"), "reports of one event, grouped", "#/stories"),
      card("Claims", (o.claims || 0).toLocaleString("en"), "supported and contested, by independent source", "#/claims"),
      card("Dated events", o.events.toLocaleString("en"), "publications and dates mentioned", "#/timeline"),
      card("Problems", o.problems.toLocaleString("en"), o.problems ? "inputs not taken in full" : "everything was read", "#/problems", o.problems ? "warn" : ""));
    const total = KINDS.reduce((n, k) => n + (o.kind_counts[k] || 0), 0) || 1;
    const bar = h("div", { class: "kindbar", role: "img", "aria-label": "segments by kind" },
      KINDS.filter((k) => o.kind_counts[k]).map((k) => {
        const part = h("a", { class: "k-" + k, href: "#/search?kind=" + k, title: KIND_LABEL[k] + ": " + o.kind_counts[k] }, String(o.kind_counts[k]));
        part.style.width = (100 * o.kind_counts[k] / total) + "%";
        return part;
      }));
    const inputs = h("table", { class: "list" }, h("tr", {}, h("th", {}, "Input"), h("th", {}, "Kind"), h("th", { class: "num" }, "Documents"), h("th", {}, "SHA-256")),
      o.first_inputs.map((i) => h("tr", {}, h("td", { class: "path" }, i.path), h("td", {}, i.kind), h("td", { class: "num" }, String(i.documents)), h("td", { class: "hash" }, i.sha256.slice(0, 16) + "…"))));
    return h("section", {}, h("h1", {}, "Overview"), cards,
      h("h2", {}, "Every kept segment, by kind"), bar, legend(),
      problemsSummary(o),
      h("h2", {}, "Inputs" + (o.inputs > o.first_inputs.length ? " (first " + o.first_inputs.length + " of " + o.inputs + ")" : "")), inputs);
  });
  function card(label, value, detail, href, extra) {
    const body = [h("div", { class: "card-value" }, value), h("div", { class: "card-label" }, label), h("div", { class: "card-detail" }, detail)];
    return href ? h("a", { class: "card " + (extra || ""), href }, body) : h("div", { class: "card " + (extra || "") }, body);
  }
  function problemsSummary(o) {
    const reasons = Object.entries(o.problem_reasons);
    if (!reasons.length) return null;
    return h("div", {}, h("h2", {}, "Problems by reason"),
      h("ul", { class: "reasons" }, reasons.map(([r, n]) => h("li", {}, h("strong", {}, r), " " + n))));
  }

  VIEWS.families = (arg, p) => state.source.families(p).then((pg) => h("section", {},
    h("h1", {}, "Families of copies"),
    h("p", { class: "lead" }, "Each family is one text and every segment that copies, excerpts or rewrites it. Largest first."),
    legend(),
    pg.items.length ? h("ol", { class: "families" }, pg.items.map(familyCard)) : h("p", { class: "empty" }, "No segment of this case copies another."),
    pager(pg, "#/families", p)));
  function familyCard(f) {
    const total = f.size || 1;  // pages: a page's other captures are not counted, nor drawn
    const bar = h("div", { class: "minibar" }, KINDS.filter((k) => k !== "capture" && f.kind_counts[k]).map((k) => {
      const part = h("span", { class: "k-" + k, title: KIND_LABEL[k] + ": " + f.kind_counts[k] });
      part.style.width = (100 * f.kind_counts[k] / total) + "%";
      return part;
    }));
    const dates = f.first_date ? (f.first_date === f.last_date ? fmtDate(f.first_date) : fmtDate(f.first_date) + " → " + fmtDate(f.last_date)) : "undated";
    return h("li", { class: "family-card" },
      h("a", { href: "#/family/" + f.id, class: "family-title" }, f.title || "(untitled)"),
      h("div", { class: "meta" }, plural(f.size, "segment") + " · " + dates + " · " +
        (f.origin !== null ? "origin #" + f.origin : "origin undetermined") + " (" + f.origin_evidence + ")"), bar);
  }

  VIEWS.family = (id) => state.source.family(id).then((f) => {
    if (!f) return notFound("No family " + id + " in this case.");
    // A page's other captures are listed on its row; in the graph, what copies one of them hangs under the page.
    const pageOf = new Map(f.members.filter((m) => m.kind === "capture").map((m) => [m.segment.id, m.parent]));
    const pages = f.members.filter((m) => m.kind !== "capture");
    const graphed = pages.map((m) => pageOf.has(m.compare_with) ? { ...m, compare_with: pageOf.get(m.compare_with) } : m);
    const rows = pages.map((m) => h("tr", { class: "member" },
      h("td", {}, kindChip(m.kind)),
      h("td", {}, h("span", { class: "segid" }, "#" + m.segment.id), " ", link("#/document/" + m.segment.document, title(m.segment)),
        undecidedLine(m), capturedLine(f, m)),
      h("td", {}, outlet(m.segment), m.segment.credit ? h("div", { class: "meta" }, creditOf(m.segment)) : null),
      h("td", { class: "date" }, fmtDate(m.segment.published)),
      h("td", { class: "num" }, m.kind === "origin" ? "" : m.score.toFixed(2)),
      h("td", { class: "actions" },
        m.compare_with !== null ? h("a", { class: "button", href: "#/pair/" + m.segment.id }, "Compare with #" + m.compare_with) : null,
        citeMember(m.segment, f))));
    return h("section", {},
      h("h1", {}, "Family " + f.id + ": " + plural(pages.length, "segment")),
      h("p", { class: "lead" }, f.origin !== null ? "Origin: segment #" + f.origin + ". Evidence: " + f.origin_evidence + "." : "Origin undetermined — " + f.origin_evidence.replace(/^undetermined:\s*/, "") + "."),
      legend(), provenanceGraph({ ...f, members: graphed }),
      h("h2", {}, "Members"),
      h("table", { class: "list" }, h("tr", {}, h("th", {}, "Kind"), h("th", {}, "Segment"), h("th", {}, "Outlet"), h("th", {}, "Published"), h("th", { class: "num" }, "Score"), h("th", {}, "")), rows));
  });
  // "parent undecided: …": why the arrow from its parent is dashed, when the evidence did not decide that parent.
  function undecidedLine(m) {
    if (m.parent === null || !m.parent_basis || m.parent_basis === "evidence") return null;
    return h("div", { class: "meta undecided" }, "parent #" + m.parent + " undecided (dashed): " + m.parent_evidence);
  }
  // "captured twice: page.html, WARC record <urn:…> in crawl.warc.gz": the same page collected more than once.
  function capturedLine(f, page) {
    const others = f.members.filter((m) => m.kind === "capture" && m.parent === page.segment.id);
    if (!others.length) return null;
    const name = (seg) => seg.warc_record_id ? "WARC record " + seg.warc_record_id + " in " + seg.path : seg.path;
    const count = others.length + 1;
    return h("div", { class: "meta captured" }, "captured " + (count === 2 ? "twice" : count + " times") + ": " +
      [page, ...others].map((m) => name(m.segment)).join(", "));
  }
  function citeMember(seg) {
    return h("button", { class: "cite", type: "button", title: "Copy a citation of this segment",
      on: { click: (ev) => {
        const button = ev.currentTarget;
        state.source.pairOrText(seg).then((text) => copyText(citation(seg, 0, null, text.length > 600 ? text.slice(0, 600) + " […]" : text), button));
      } } }, "Cite");
  }

  // The provenance graph: one row per member (in copy order), x = publication date.
  function provenanceGraph(f) {
    const members = treeOrder(f.members);
    const ROW = 34, TOP = 30, LABEL_W = 300, WIDTH = 1160, UNDATED_W = 110;
    const times = members.map((m) => parseDate(m.segment.published));
    const dated = times.filter((t) => t !== null);
    let min = Math.min(...dated), max = Math.max(...dated);
    if (!dated.length) { min = 0; max = 1; }
    // Dates without a time of day are days: give each its own column, centred.
    const daysOnly = members.every((m) => !m.segment.published || String(m.segment.published).length <= 10);
    if (daysOnly || max - min < 3600e3) { min -= 12 * 3600e3; max += 12 * 3600e3; }
    const axisLeft = LABEL_W + 20, axisRight = WIDTH - UNDATED_W - 30;
    const xOf = (t) => (t === null ? WIDTH - UNDATED_W / 2 - 10 : axisLeft + (axisRight - axisLeft) * (t - min) / (max - min));
    const height = TOP + members.length * ROW + 50;
    const pos = new Map(members.map((m, i) => [m.segment.id, { x: xOf(times[i]), y: TOP + i * ROW + ROW / 2 }]));
    const svg = s("svg", { class: "graph", viewBox: "0 0 " + WIDTH + " " + height, width: WIDTH, height, role: "img", "aria-label": "provenance graph" },
      s("defs", {}, KINDS.map((k) => s("marker", { id: "arrow-" + k, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse" },
        s("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "k-" + k })))));
    const axisY = TOP + members.length * ROW + 8;
    if (dated.length) svg.appendChild(s("line", { x1: axisLeft, x2: axisRight, y1: axisY, y2: axisY, class: "axis" }));
    const ticks = daysOnly && max - min <= 10 * 86400e3 + 1
      ? Array.from({ length: Math.round((max - min) / 86400e3) }, (_, i) => min + 12 * 3600e3 + i * 86400e3)
      : [0, 1, 2, 3, 4].map((i) => min + (max - min) * i / 4);
    for (const [i, t] of (dated.length ? ticks : []).entries()) {
      const x = xOf(t);
      const anchor = ticks.length > 1 && i === ticks.length - 1 ? "end" : ticks.length > 1 && i === 0 ? "start" : "middle";
      svg.appendChild(s("line", { x1: x, x2: x, y1: TOP - 6, y2: axisY + 5, class: "tick" }));
      svg.appendChild(s("text", { x, y: axisY + 20, class: "tick-label", "text-anchor": daysOnly ? "middle" : anchor }, daysOnly ? new Date(t).toISOString().slice(0, 10) : tickLabel(t, max - min)));
    }
    if (times.some((t) => t === null)) {
      svg.appendChild(s("text", { x: WIDTH - UNDATED_W / 2 - 10, y: axisY + 20, class: "tick-label", "text-anchor": "middle" }, "undated"));
      svg.appendChild(s("line", { x1: WIDTH - UNDATED_W - 10, x2: WIDTH - UNDATED_W - 10, y1: TOP - 6, y2: axisY + 5, class: "undated-sep" }));
    }
    svg.appendChild(s("text", { x: axisLeft, y: TOP - 12, class: "tick-label" }, dated.length ? "publication date →" : "no member has a publication date"));
    members.forEach((m, i) => {
      const p = pos.get(m.segment.id), y = p.y;
      svg.appendChild(s("line", { x1: LABEL_W, x2: p.x, y1: y, y2: y, class: "guide" }));
      const label = "#" + m.segment.id + " " + outletName(m.segment);
      svg.appendChild(s("a", { href: m.compare_with !== null ? "#/pair/" + m.segment.id : "#/document/" + m.segment.document },
        s("text", { x: 8, y: y + 4, class: "row-label" }, label.length > 44 ? label.slice(0, 43) + "…" : label)));
    });
    members.forEach((m) => {
      const from = pos.get(m.compare_with), to = pos.get(m.segment.id);
      if (!from || !to) return;
      const bend = 60 + Math.abs(to.y - from.y) / 6;
      const d = "M " + from.x + " " + from.y + " C " + (from.x + bend) + " " + from.y + ", " + (to.x + bend) + " " + to.y + ", " + (to.x + 9) + " " + to.y;
      const why = dashedReason(m);
      svg.appendChild(s("path", { d, class: "edge k-" + m.kind + (why ? " uncertain" : ""), "marker-end": "url(#arrow-" + m.kind + ")",
        "data-basis": m.parent === null ? "no_parent" : m.parent_basis || "" },
        s("title", {}, "#" + m.compare_with + " → #" + m.segment.id + (why ? " — dashed: " + why : ""))));
    });
    members.forEach((m) => {
      const p = pos.get(m.segment.id);
      svg.appendChild(s("a", { href: m.compare_with !== null ? "#/pair/" + m.segment.id : "#/document/" + m.segment.document },
        s("circle", { cx: p.x, cy: p.y, r: m.kind === "origin" ? 9 : 7, class: "node k-" + m.kind },
          s("title", {}, "#" + m.segment.id + " " + KIND_LABEL[m.kind] + " — " + title(m.segment) + " — " + fmtDate(m.segment.published)))));
    });
    return h("div", { class: "graph-wrap" }, svg,
      h("div", { class: "legend graph-legend" },
        h("span", { class: "legend-item" }, h("span", { class: "swatch edge-solid" }), "solid: the evidence decides which text was copied"),
        h("span", { class: "legend-item" }, h("span", { class: "swatch edge-dashed" }), DASHED_LEGEND)),
      h("p", { class: "hint" }, "Arrows run from the text copied to the copy; hover a dashed arrow for why it is dashed. " +
        "Rows are in copy order; click a node or a name to compare it with its parent."));
  }
  // Why a member's arrow is dashed (docs/copies.md#parents), or null when the evidence decides its parent.
  function dashedReason(m) {
    if (m.parent === null) return m.kind === "origin" ? null : "its parent is undetermined; the arrow is from the text it is closest to";
    return m.parent_basis && m.parent_basis !== "evidence" ? m.parent_evidence : null;
  }
  function treeOrder(members) {
    const ids = new Set(members.map((m) => m.segment.id)), children = new Map(), out = [], seen = new Set();
    for (const m of members) {
      const key = ids.has(m.compare_with) ? m.compare_with : null;
      if (!children.has(key)) children.set(key, []);
      children.get(key).push(m);
    }
    const visit = (m) => {
      if (seen.has(m.segment.id)) return;
      seen.add(m.segment.id); out.push(m);
      (children.get(m.segment.id) || []).forEach(visit);
    };
    (children.get(null) || []).forEach(visit);
    members.forEach(visit);  // anything in a cycle still shows
    return out;
  }
  function parseDate(d) { if (!d) return null; const t = Date.parse(d); return Number.isNaN(t) ? null : t; }
  function tickLabel(t, span) {
    const iso = new Date(t).toISOString();
    return span < 3 * 86400e3 ? iso.slice(0, 10) + " " + iso.slice(11, 16) : iso.slice(0, 10);
  }

  // ---- side by side ------------------------------------------------------------

  VIEWS.pair = (id) => state.source.pair(id).then((p) => {
    if (!p) return notFound("Segment " + id + " is not a copy of another segment.");
    const rows = alignRows(p);
    const table = h("table", { class: "sidebyside" },
      h("tr", {}, h("th", {}, "Parent #" + p.parent.id + " (copied from)"), h("th", {}, "Copy #" + p.copy.id + " (" + KIND_LABEL[p.kind] + ")")),
      h("tr", { class: "heads" }, h("td", {}, segHead(p.parent)), h("td", {}, segHead(p.copy))),
      rows);
    return h("section", {},
      h("h1", {}, "#" + p.copy.id + " is a" + (p.kind === "exact" || p.kind === "excerpt" ? "n " : " ") + KIND_LABEL[p.kind] + " of #" + p.parent.id),
      h("p", { class: "lead" }, "Score " + p.score.toFixed(2) + " · " + plural(p.passages.length, "shared passage") + ". ",
        p.copy.family !== null ? link("#/family/" + p.copy.family, "Back to the family") : null),
      h("div", { class: "legend" },
        h("span", { class: "legend-item" }, h("span", { class: "swatch shared" }), "shared passage"),
        h("span", { class: "legend-item" }, h("del", {}, "words changed"), " / ", h("ins", {}, "their replacement")),
        h("span", { class: "legend-item" }, h("span", { class: "swatch removed" }), "only in the parent (removed)"),
        h("span", { class: "legend-item" }, h("span", { class: "swatch added" }), "only in the copy (added)")),
      table);
  });
  function segHead(seg) {
    return h("div", {}, h("div", { class: "seg-title" }, link("#/document/" + seg.document, title(seg))),
      h("div", { class: "meta" }, outlet(seg), " · " + fmtDate(seg.published), seg.credit ? [" · ", creditOf(seg)] : null));
  }
  // Rows in the copy's order: a shared passage (sentence pairs for a rewrite), or text only one side has.
  function alignRows(p) {
    const passages = p.passages.slice().sort((a, b) => a[2] - b[2]);
    const rows = [];
    let parentAt = 0, copyAt = 0;
    const gap = (text, side) => {
      if (!text.trim()) return;
      rows.push(h("tr", { class: side },
        h("td", { class: side === "removed" ? "removed" : "blank" }, side === "removed" ? text : ""),
        h("td", { class: side === "added" ? "added" : "blank" }, side === "added" ? text : "")));
    };
    passages.forEach(([ps, pe, cs, ce], index) => {
      if (ps > parentAt) gap(p.parent_text.slice(parentAt, ps), "removed");
      if (cs > copyAt) gap(p.copy_text.slice(copyAt, cs), "added");
      const pairs = p.kind === "rewrite" ? sentencePairs(p.parent_text, ps, pe, p.copy_text, cs, ce) : [[ps, pe, cs, ce]];
      pairs.forEach(([a, b, c, d]) => {
        const [left, right] = wordDiff(p.parent_text.slice(a, b), p.copy_text.slice(c, d));
        rows.push(h("tr", { class: "shared-row" }, h("td", { class: "shared" }, left),
          h("td", { class: "shared" }, right, h("div", { class: "row-actions" }, citeButton(p.copy, c, d, p.copy_text.slice(c, d))))));
      });
      parentAt = Math.max(parentAt, pe); copyAt = Math.max(copyAt, ce);
    });
    gap(p.parent_text.slice(parentAt), "removed");
    gap(p.copy_text.slice(copyAt), "added");
    return rows;
  }
  function sentenceSpans(text, start, end) {
    const spans = [], re = /[^.!?\n]+(?:[.!?]+["”’')\]]*|\n|$)\s*/g;
    const piece = text.slice(start, end);
    let m;
    while ((m = re.exec(piece)) !== null && m[0].length) spans.push([start + m.index, start + m.index + m[0].length]);
    return spans.filter(([a, b]) => text.slice(a, b).trim());
  }
  function sentencePairs(pt, ps, pe, ct, cs, ce) {
    const left = sentenceSpans(pt, ps, pe), right = sentenceSpans(ct, cs, ce);
    if (!left.length || left.length !== right.length) return [[ps, pe, cs, ce]];
    return left.map((l, i) => [l[0], l[1], right[i][0], right[i][1]]);
  }
  // Word-level difference inside a shared passage, so small edits stand out.
  function wordDiff(a, b) {
    const wa = a.split(/(\s+)/), wb = b.split(/(\s+)/);
    const norm = (w) => w.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
    if (a === b || wa.length * wb.length > 4e6) return [h("span", {}, a), h("span", {}, b)];
    const n = wa.length, m = wb.length, lcs = new Int32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] = norm(wa[i]) === norm(wb[j]) ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    const left = h("span", {}), right = h("span", {});
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && norm(wa[i]) === norm(wb[j])) { left.append(wa[i++]); right.append(wb[j++]); }
      else if (j < m && (i === n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j])) { const w = wb[j++]; right.append(/^\s+$/.test(w) ? w : h("ins", {}, w)); }
      else { const w = wa[i++]; left.append(/^\s+$/.test(w) ? w : h("del", {}, w)); }
    }
    return [left, right];
  }

  // ---- search ----------------------------------------------------------------------

  VIEWS.search = (arg, p) => {
    const form = searchForm(p);
    const run = p.q || p.kind || p.family || p.outlet || p.from || p.to;
    if (!run) return Promise.resolve(h("section", {}, h("h1", {}, "Search"), form, h("p", { class: "hint" }, "Type words to find (all must occur; \"quoted words\" as a phrase), or choose a filter.")));
    return state.source.search(p).then((pg) => h("section", {}, h("h1", {}, "Search"), form,
      h("p", { class: "result-count" }, plural(pg.total, "segment") + " found" + (state.source.mode === "report" && state.source.limits.note ? " — " + state.source.limits.note : "")
        + (p.q && pg.order === "case" ? " — too many to rank by relevance, so in case order; more words narrow the search" : "")),
      h("ol", { class: "hits" }, pg.items.map(hitItem)), pager(pg, "#/search", p)));
  };
  function searchForm(p) {
    const field = (name, label, attrs) => h("label", {}, label, h("input", Object.assign({ name, value: p[name] || "" }, attrs)));
    const kind = h("select", { name: "kind" }, h("option", { value: "" }, "any kind"),
      KINDS.map((k) => h("option", { value: k, selected: p.kind === k ? "selected" : null }, KIND_LABEL[k])));
    const form = h("form", { class: "search", role: "search" },
      field("q", "Words", { type: "search", placeholder: "e.g. \"secret detention\"", size: 36 }),
      h("label", {}, "Kind", kind),
      field("outlet", "Outlet or credit", { type: "text", size: 14 }),
      field("family", "Family", { type: "number", min: 1, class: "short" }),
      field("from", "From", { type: "date" }), field("to", "To", { type: "date" }),
      h("button", { type: "submit" }, "Search"));
    return submitsTo(form, "#/search");
  }
  function hitItem(hit) {
    const seg = hit.segment;
    return h("li", { class: "hit" },
      h("div", {}, seg.kind ? kindChip(seg.kind) : null, " ", h("span", { class: "segid" }, "#" + seg.id), " ",
        link("#/document/" + seg.document, title(seg))),
      h("div", { class: "snippet" }, marked(hit.snippet)),
      h("div", { class: "meta" }, outlet(seg), " · " + fmtDate(seg.published), seg.credit ? [" · ", creditOf(seg)] : null, " · ",
        seg.family !== null ? link("#/family/" + seg.family, "family " + seg.family) : "no family", " ",
        seg.kind && seg.kind !== "origin" ? link("#/pair/" + seg.id, "compare") : null, " ", citeMember(seg)));
  }
  function marked(snippet) {
    const out = [];
    String(snippet).replace(/\s+/g, " ").split(MARK_START).forEach((part, i) => {
      if (i === 0) { out.push(part); return; }
      const [hit, rest] = part.split(MARK_END);
      out.push(h("mark", {}, hit), rest || "");
    });
    return out;
  }

  // ---- document ------------------------------------------------------------------------

  VIEWS.document = (id, p) => state.source.document(id).then((d) => {
    if (!d) return notFound(state.source.mode === "report" ? "Document " + id + " is not embedded in this report (too large); open the case with `sourcetrace serve`." : "No document " + id + ".");
    const href = d.url ? safeUrl(d.url) : null;
    return h("section", {},
      h("h1", {}, d.title || "(untitled document)"),
      h("dl", { class: "facts" },
        h("dt", {}, "URL"), h("dd", {}, href ? h("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, d.url) : (d.url || "none recorded")),
        h("dt", {}, "Input"), h("dd", { class: "path" }, d.path),
        h("dt", {}, "SHA-256"), h("dd", { class: "hash" }, d.sha256),
        ...archiveFacts(d.segments[0]),
        h("dt", {}, "Published"), h("dd", {}, fmtDate(d.published)),
        h("dt", {}, "Outlet"), h("dd", {}, d.segments.length ? outlet(d.segments[0]) : d.site || "none recorded"),
        h("dt", {}, "Segments"), h("dd", {}, String(d.segments.length))),
      h("div", { class: "legend" },
        h("span", { class: "legend-item" }, h("span", { class: "swatch seg" }), "an article (segment)"),
        h("span", { class: "legend-item" }, h("span", { class: "swatch shared" }), "passage shared with another segment"),
        h("span", { class: "legend-item" }, h("span", { class: "swatch furniture" }), "page furniture, left out")),
      documentText(d, p));
  });
  function archiveFacts(seg) {  // the WARC record a document came from, as its citation names it
    if (!seg || !seg.warc_record_id) return [];
    return [h("dt", {}, "WARC-Record-ID"), h("dd", { class: "hash" }, seg.warc_record_id),
      h("dt", {}, "WARC-Target-URI"), h("dd", { class: "path" }, seg.warc_target_uri || "none recorded")];
  }
  function documentText(d, p) {
    const marks = [];  // [start, end, class, info] in document offsets
    d.furniture.forEach(([a, b]) => marks.push([a, b, "furniture", null]));
    const byId = new Map(d.segments.map((seg) => [seg.id, seg]));
    const focused = byId.get(Number(p.segment));
    const [start, end] = [parseInt(p.start, 10), parseInt(p.end, 10)];
    if (focused && start >= 0 && end > start) marks.push([segToDoc(focused, start), segToDoc(focused, end), "focus-span", null]);
    d.shared.forEach((sp) => { const seg = byId.get(sp.segment); if (seg) marks.push([segToDoc(seg, sp.start), segToDoc(seg, sp.end), "shared", sp]); });
    const cuts = new Set([0, d.text.length]);
    marks.forEach(([a, b]) => { cuts.add(a); cuts.add(b); });
    d.segments.forEach((seg) => { cuts.add(seg.start); cuts.add(seg.end); });
    const points = [...cuts].filter((x) => x >= 0 && x <= d.text.length).sort((a, b) => a - b);
    const body = h("div", { class: "doctext" });
    let block = null, blockEnd = -1;
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      if (block && a >= blockEnd) block = null;
      const seg = d.segments.find((x) => x.start === a);
      if (seg) {  // each article is a block with its label, so its span is visible as one piece
        block = h("div", { class: "seg-block" + (seg === focused ? " focus" : "") }, h("div", { class: "seg-label" }, "Segment #" + seg.id + (seg.duplicate_of !== null ? " (repeat of #" + seg.duplicate_of + ")" : "") + " ",
          seg.kind ? kindChip(seg.kind) : null, " ", seg.family !== null ? link("#/family/" + seg.family, "family " + seg.family) : null, " ",
          seg.kind && seg.kind !== "origin" ? link("#/pair/" + seg.id, "compare with its parent") : null, " ", citeMember(seg)));
        blockEnd = seg.end;
        body.appendChild(block);
      }
      const active = marks.filter(([x, y]) => x <= a && b <= y);
      const shared = active.find((m) => m[2] === "shared");
      (block || body).appendChild(h("span", { class: active.map((m) => m[2]).join(" ") || null,
        title: shared ? "shared with #" + shared[3].other + " (" + KIND_LABEL[shared[3].kind] + ")" : null }, d.text.slice(a, b)));
    }
    return body;
  }

  // ---- problems, statements ---------------------------------------------------------

  VIEWS.problems = (arg, p) => state.source.problems(p).then((pg) => h("section", {},
    h("h1", {}, "Problems"),
    h("p", { class: "lead" }, pg.total ? "Inputs or documents that could not be taken in full, with the reason." : "No problems: every input was read in full."),
    pg.items.length ? h("table", { class: "list problems" }, h("tr", {}, h("th", {}, "Severity"), h("th", {}, "Reason"), h("th", {}, "Input"), h("th", {}, "What happened")),
      pg.items.map((q) => h("tr", { class: q.severity }, h("td", {}, h("span", { class: "sev sev-" + q.severity }, q.severity)), h("td", {}, q.reason + " (" + q.stage + ")"),
        h("td", { class: "path" }, q.path + (q.ordinal !== null ? " #" + q.ordinal : "")), h("td", {}, q.message)))) : null,
    pager(pg, "#/problems", p)));

  // Statements: who said what, and where a copy altered the words.
  VIEWS.statements = (arg, p) => state.source.overview().then((o) => {
    if (!o.statements_available) {
      return h("section", {}, h("h1", {}, "Statements"),
        h("p", { class: "lead" }, "No statements in this case yet: the statements stage has not stored any. Families and copies are under Families."));
    }
    return state.source.statements(p).then((pg) => h("section", {}, h("h1", {}, "Statements"),
      h("p", { class: "lead" }, "What each speaker said, merged across every segment that carries it. Most repeated first."),
      statementsForm(p),
      h("p", { class: "result-count" }, plural(pg.total, "statement")),
      h("ol", { class: "hits" }, pg.items.map(statementItem)),
      pager(pg, "#/statements", p)));
  });
  function statementItem(st) {
    return h("li", { class: "hit statement" },
      h("div", {}, h("strong", {}, st.speaker), st.speaker_role ? h("span", { class: "meta" }, " — " + st.speaker_role) : null,
        " ", h("span", { class: "chip k-" + (st.altered ? "excerpt" : "exact") }, st.altered ? plural(st.altered, "altered copy", "altered copies") : "never altered")),
      h("div", { class: "snippet" }, link("#/statement/" + st.id, "“" + st.text + "”")),
      h("div", { class: "meta" }, st.kind + " · " + st.cue + " · " + plural(st.occurrences, "occurrence")));
  }
  function statementsForm(p) {
    const form = h("form", { class: "search" },
      h("label", {}, "Speaker", h("input", { name: "speaker", value: p.speaker || "", size: 24 })),
      h("label", { class: "inline" }, h("input", { type: "checkbox", name: "altered", value: "1", checked: p.altered ? "checked" : null }), "only statements with an altered copy"),
      h("button", { type: "submit" }, "Filter"));
    return submitsTo(form, "#/statements");
  }
  VIEWS.statement = (id) => state.source.statement(id).then((d) => {
    if (!d) return notFound("No statement " + id + " in this case.");
    const st = d.statement;
    return h("section", {}, h("h1", {}, st.speaker + (st.speaker_role ? ", " + st.speaker_role : "")),
      h("blockquote", { class: "reference" }, "“" + st.text + "”"),
      h("p", { class: "lead" }, "Reference form (the earliest occurrence). " + plural(d.occurrences.length, "occurrence") + ", " + st.altered + " altered."),
      h("div", { class: "legend" },
        h("span", { class: "legend-item" }, h("del", {}, "words of the reference left out")),
        h("span", { class: "legend-item" }, h("ins", {}, "words the copy put in"))),
      h("ol", { class: "hits" }, d.occurrences.map((o) => h("li", { class: "hit occurrence" + (o.altered ? " altered" : "") },
        h("div", {}, o.altered ? h("span", { class: "chip altered" }, o.kind === "direct" ? "altered quote" : "altered paraphrase") : null, " ", h("span", { class: "segid" }, "#" + o.segment.id), " ",
          link("#/document/" + o.segment.document, title(o.segment))),
        h("div", { class: "snippet" }, o.altered && o.diff.length ? diffWords(o.diff) : "“" + o.text + "”"),
        h("div", { class: "meta" }, o.outlet ? o.outlet + " · " : "", outlet(o.segment), " · " + fmtDate(o.segment.published) + " · as written: " + o.speaker_as_written + " " + o.cue +
          (o.garbled_speaker ? " · the attribution is garbled" : "") + " ", citeButton(o.segment, o.start, o.end, o.text))))));
  });
  function diffWords(diff) {
    const out = [];
    diff.forEach(([op, word], i) => {
      if (i) out.push(" ");
      out.push(op === "-" ? h("del", {}, word) : op === "+" ? h("ins", {}, word) : word);
    });
    return out;
  }

  function submitsTo(form, base) {  // a filter form's fields become the view's address, so it can be shared
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const query = new URLSearchParams();
      for (const [k, v] of new FormData(form).entries()) if (String(v).trim()) query.set(k, String(v).trim());
      location.hash = base + "?" + query;
    });
    return form;
  }

  // ---- stories and the timeline ---------------------------------------------------------

  const STORY_EVENTS = 200;  // a story page lists this many events; its paged timeline has the rest
  function dateRange(first, last) {
    if (!first) return "undated";
    return !last || first === last ? fmtDate(first) : fmtDate(first) + " → " + fmtDate(last);
  }
  function namedOutlet(name) { return h("span", { class: "outlet" }, name, typeChips(sourceNamed(name))); }
  function joined(nodes) { return nodes.map((node, i) => (i ? [", ", node] : node)); }
  function segmentHref(documentId, segmentId, start, end) {  // the document, scrolled to the segment (and a span of it)
    return "#/document/" + documentId + "?segment=" + segmentId + (start !== null && start !== undefined ? "&start=" + start + "&end=" + end : "");
  }
  function reportNote() {
    return state.source.mode === "report" && state.source.limits.note ? h("p", { class: "hint limits" }, state.source.limits.note) : null;
  }

  VIEWS.stories = (arg, p) => state.source.stories(p).then((pg) => h("section", {},
    h("h1", {}, "Stories"),
    h("p", { class: "lead" }, "Each story is one event as the corpus reports it: the families of copies that cover it. " +
      "Most independent sources first; a wire's own copy and the copies that credit it count as one source."),
    pg.items.length ? h("table", { class: "list stories" },
      h("tr", {}, h("th", {}, "Story"), h("th", { class: "num" }, "Independent sources"), h("th", { class: "num" }, "Families"),
        h("th", { class: "num" }, "Segments"), h("th", {}, "Outlets"), h("th", {}, "Published")),
      pg.items.map(storyRow)) : h("p", { class: "empty" }, "No stories: no two segments of this case report one event, or the stories step has not run."),
    reportNote(), pager(pg, "#/stories", p)));
  function storyRow(st) {
    return h("tr", { class: "story" },
      h("td", {}, link("#/story/" + st.id, st.title), st.agencies.length ? h("div", { class: "meta" }, "credited: ", joined(st.agencies.map(namedOutlet))) : null),
      h("td", { class: "num" }, String(st.independent_sources)),
      h("td", { class: "num" }, String(st.families)),
      h("td", { class: "num" }, String(st.segments)),
      h("td", { class: "outlets" }, joined(st.outlets.map(namedOutlet))),
      h("td", { class: "date" }, dateRange(day(st.first_published), day(st.last_published))));
  }
  function day(d) { return d ? String(d).slice(0, 10) : d; }  // the day at the page's own offset, as `sourcetrace stories` shows it

  // A story and its claims (those with a position in it); claims only add to the page, so it shows without them.
  VIEWS.story = (id) => Promise.all([state.source.story(id), state.source.claims({ story: id }).catch(() => null)]).then(([d, claims]) => {
    if (!d) return notFound(state.source.mode === "report" ? "Story " + id + " is not in this report; `sourcetrace serve` shows every story." : "No story " + id + " in this case.");
    const st = d.story;
    return h("section", { class: "story-page" },
      h("h1", {}, st.title),
      h("p", { class: "lead" }, plural(st.independent_sources, "independent source") + " · " + plural(st.families, "family", "families") + " · " +
        plural(st.segments, "segment") + " · published " + dateRange(st.first_published, st.last_published)),
      h("h2", {}, "Outlets"), storyOutlets(d.segments),
      st.agencies.length ? [h("h2", {}, "Credited agencies"), h("ul", { class: "outlets agencies" }, st.agencies.map((a) => h("li", {}, namedOutlet(a))))] : null,
      h("h2", {}, "Segments, by family"), storySegments(d),
      d.statements.length ? [h("h2", {}, "Statements"), h("ol", { class: "hits" }, d.statements.map(statementItem))] : null,
      storyClaims(st, claims),
      h("h2", {}, "Timeline"), storyTimeline(st, d.events));
  });
  // Who published the story's segments: one line per outlet (its registry entry, else its name), most segments first.
  function storyOutlets(segments) {
    const groups = new Map();
    for (const seg of segments) {
      const src = sourceOf(seg), key = src ? "source " + src.id : "name " + outletName(seg);
      if (!groups.has(key)) groups.set(key, { src, name: src ? src.name : outletName(seg), count: 0 });
      groups.get(key).count += 1;
    }
    const rows = [...groups.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return h("ul", { class: "outlets" }, rows.map((g) => h("li", {}, h("span", { class: "outlet" }, g.name), typeChips(g.src),
      h("small", {}, " — " + plural(g.count, "segment")))));
  }
  function storySegments(d) {
    const byFamily = new Map(d.families.map((f) => [f, []]));
    for (const seg of d.segments) {
      if (!byFamily.has(seg.family)) byFamily.set(seg.family, []);
      byFamily.get(seg.family).push(seg);
    }
    const rows = [];
    for (const [family, segs] of byFamily) {
      if (!segs.length) continue;
      rows.push(h("tr", { class: "family-row" }, h("td", { colspan: 5 },  // a family of one has no family view in the report
        segs.length > 1 ? link("#/family/" + family, "Family " + family) : "Family " + family,
        h("small", {}, " — " + (segs.length > 1 ? plural(segs.length, "segment") : "one segment, which copies none and none copies")))));
      segs.forEach((seg) => rows.push(h("tr", { class: "member" },
        h("td", {}, seg.kind ? kindChip(seg.kind) : null),
        h("td", {}, h("span", { class: "segid" }, "#" + seg.id), " ", link(segmentHref(seg.document, seg.id), title(seg))),
        h("td", {}, outlet(seg), seg.credit ? h("div", { class: "meta" }, creditOf(seg)) : null),
        h("td", { class: "date" }, fmtDate(seg.published)),
        h("td", { class: "actions" }, seg.kind && seg.kind !== "origin" ? h("a", { class: "button", href: "#/pair/" + seg.id }, "Compare") : null, citeMember(seg)))));
    }
    return h("table", { class: "list story-segments" },
      h("tr", {}, h("th", {}, "Kind"), h("th", {}, "Segment"), h("th", {}, "Outlet"), h("th", {}, "Published"), h("th", {}, "")), rows);
  }
  function storyTimeline(st, events) {
    if (!events.length) return h("p", { class: "empty" }, "No dated events in this story's segments.");
    return [eventsTable(events.slice(0, STORY_EVENTS), false),
      events.length > STORY_EVENTS ? h("p", {}, link("#/timeline?story=" + st.id, "All " + plural(events.length, "event") + " of this story, page by page")) : null];
  }

  // ---- claims ----------------------------------------------------------------------------

  function storyClaims(st, pg) {  // the claims whose positions lie in this story
    if (!pg || !pg.items.length) return null;
    return [h("h2", {}, "Claims"), claimsTable(pg.items),
      pg.total > pg.items.length ? h("p", {}, link("#/claims?story=" + st.id, "All " + plural(pg.total, "claim") + " of this story")) : null];
  }
  function claimsTable(items) {
    return h("table", { class: "list claims" },
      h("tr", {}, h("th", {}, "Claim"), h("th", {}, "From"), h("th", { class: "num" }, "Supporting sources"), h("th", { class: "num" }, "Contesting sources"),
        h("th", { class: "num" }, "Reporting sources"), h("th", { class: "num" }, "Positions")),
      items.map((c) => h("tr", { class: "claim" },
        h("td", {}, link("#/claim/" + c.id, c.text)),
        h("td", {}, c.supplied ? "supplied" : "found"),
        h("td", { class: "num supports" }, String(c.supporting_sources)),
        h("td", { class: "num contests" }, String(c.contesting_sources)),
        h("td", { class: "num reports" }, String(c.reporting_sources)),
        h("td", { class: "num" }, String(c.positions)))));
  }
  VIEWS.claims = (arg, p) => state.source.claims(p).then((pg) => h("section", {},
    h("h1", {}, p.story ? "Claims of story " + p.story : "Claims"),
    h("p", { class: "lead" }, "Each claim with the independent sources that support it, contest it, or report it without taking a side. " +
      "Sources are families of copies: forty copies of one wire story count once. ", p.story ? link("#/story/" + p.story, "Back to the story") : null),
    pg.items.length ? claimsTable(pg.items) : h("p", { class: "empty" }, p.story ? "No claim has a position in this story." :
      "No claims: none was supplied (`sourcetrace run --claims FILE`) and finding them in the statements is off."),
    reportNote(), pager(pg, "#/claims", p)));

  VIEWS.claim = (id) => state.source.claim(id).then((d) => {
    if (!d) return notFound(state.source.mode === "report" ? "Claim " + id + " is not in this report; `sourcetrace serve` shows every claim." : "No claim " + id + " in this case.");
    const c = d.claim;
    const side = (heading, n, positions, cls) => h("div", { class: "claim-side " + cls },
      h("h2", {}, heading + " (" + plural(n, "independent source") + ")"),
      positions.length ? h("ol", { class: "hits positions" }, bySource(positions).map(sourceItem)) : h("p", { class: "empty" }, "None."));
    return h("section", { class: "claim-page" },
      h("h1", {}, c.text),
      h("p", { class: "lead" }, (c.supplied ? "Supplied by the investigator" : "Found in the statements") + " · " + plural(c.positions, "position") +
        " · positions in one family of copies count as one source.",
        c.stories.length ? [" Stories: ", joined(c.stories.map((st) => link("#/story/" + st, "story " + st)))] : null),
      h("div", { class: "claim-sides" },
        side("Supports", c.supporting_sources, d.supporting, "supports"),
        side("Contests", c.contesting_sources, d.contesting, "contests")),
      side("Reports", c.reporting_sources, d.reporting, "reports"));
  });
  // Positions folded by source (as views.positions_by_source): one family of copies is one entry.
  function bySource(positions) {
    const groups = new Map();
    for (const pos of positions) {
      const key = pos.family !== null ? "f" + pos.family : "s" + pos.segment.id;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(pos);
    }
    return [...groups.values()];
  }
  function sourceItem(group) {
    const item = positionItem(group[0]);
    if (group.length > 1) item.appendChild(h("details", { class: "copies" },
      h("summary", {}, "+ " + plural(group.length - 1, "copy", "copies") + " in the same family, one source"),
      h("ol", { class: "hits positions" }, group.slice(1).map(positionItem))));
    return item;
  }
  function positionItem(pos) {
    const seg = pos.segment;
    return h("li", { class: "hit position " + pos.stance },
      h("div", { class: "snippet" }, "“" + pos.text + "”"),
      h("div", { class: "meta" }, h("span", { class: "cue" }, "cue: " + pos.cue), " · ",
        pos.speaker ? h("span", { class: "speaker" }, "speaker: " + pos.speaker) : h("span", { class: "speaker" }, "the segment's own voice"), " · ",
        h("span", { class: "fam", title: "positions of one family count as one source" }, pos.family !== null ? "family " + pos.family : "in no family")),
      h("div", { class: "meta" }, outlet(seg), " · " + fmtDate(seg.published) + " · ", h("span", { class: "segid" }, "#" + seg.id), " ",
        link(segmentHref(seg.document, seg.id, pos.start, pos.end), title(seg)), " ", citeButton(seg, pos.start, pos.end, pos.text)));
  }

  VIEWS.timeline = (arg, p) => state.source.timeline(p).then((pg) => h("section", {},
    h("h1", {}, p.story ? "Timeline of story " + p.story : "Timeline"),
    h("p", { class: "lead" }, "Dated events in date order: each segment's publication and each date its text mentions, at its precision " +
      "(a period by its first day). Relative dates (\"last month\") are resolved against their segment's publication; unresolved ones come last. ",
      p.story ? link("#/story/" + p.story, "Back to the story") : null),
    timelineForm(p),
    h("p", { class: "result-count" }, plural(pg.total, "event")), reportNote(),
    pg.items.length ? eventsTable(pg.items, true) : h("p", { class: "empty" }, p.kind || p.story ? "No event matches." : "No dated events: the timeline step has stored none."),
    pager(pg, "#/timeline", p)));
  function timelineForm(p) {
    const kind = h("select", { name: "kind" }, h("option", { value: "" }, "any event"),
      ["published", "mentioned"].map((k) => h("option", { value: k, selected: p.kind === k ? "selected" : null }, k === "published" ? "publications" : "dates mentioned")));
    return submitsTo(h("form", { class: "search" }, h("label", {}, "Kind", kind),
      h("label", {}, "Story", h("input", { name: "story", type: "number", min: 1, class: "short", value: p.story || "" })),
      h("button", { type: "submit" }, "Filter")), "#/timeline");
  }
  function eventsTable(events, withStory) {
    return h("table", { class: "list events" },
      h("tr", {}, h("th", {}, "Date"), h("th", {}, "Event"), h("th", {}, "Segment"), withStory ? h("th", {}, "Story") : null),
      events.map((e) => h("tr", { class: "event " + e.kind },
        h("td", { class: "date" }, e.date ? fmtDate(e.date) : "unresolved", h("div", { class: "meta" }, e.precision)),
        h("td", {}, h("span", { class: "ekind " + e.kind }, e.kind), e.kind === "mentioned" ? [" “", e.text || "", "”",
          e.relative ? h("small", { title: "resolved against the publication or the date mentioned before it" }, " relative") : null] : null),
        h("td", {}, h("span", { class: "segid" }, "#" + e.segment), " ", link(segmentHref(e.document, e.segment, e.start, e.end), e.title || "(untitled)"),
          e.kind === "mentioned" && e.published ? h("div", { class: "meta" }, "published " + fmtDate(e.published)) : null),
        withStory ? h("td", { class: "nowrap" }, e.story !== null ? link("#/story/" + e.story, "story " + e.story) : h("span", { class: "meta" }, "none")) : null)));
  }

  function notFound(message) { return h("section", {}, h("h1", {}, "Not found"), h("p", {}, message)); }
  function pager(pg, base, p) {
    const pages = Math.max(1, Math.ceil(pg.total / pg.per_page));
    if (pages <= 1) return null;
    const go = (n) => { const q = new URLSearchParams(p); q.set("page", n); return base + "?" + q; };
    return h("nav", { class: "pager" },
      pg.page > 1 ? h("a", { href: go(pg.page - 1) }, "← previous") : null,
      " page " + pg.page + " of " + pages + " ",
      pg.page < pages ? h("a", { href: go(pg.page + 1) }, "next →") : null);
  }

  // ---- routing --------------------------------------------------------------------------

  const NAV = [["overview", "Overview"], ["families", "Families"], ["stories", "Stories"], ["claims", "Claims"], ["timeline", "Timeline"], ["search", "Search"],
    ["problems", "Problems"], ["statements", "Statements"]];
  const NAV_OF = { family: "families", statement: "statements", story: "stories", claim: "claims" };  // an item's view lights its list
  function route() {
    const hash = location.hash.replace(/^#\/?/, "") || "overview";
    const [path, query] = hash.split("?");
    const [name, arg] = path.split("/");
    const params = Object.fromEntries(new URLSearchParams(query || ""));
    const view = VIEWS[name] || VIEWS.overview;
    document.querySelectorAll("nav.top a").forEach((a) => a.classList.toggle("active", a.dataset.view === (NAV_OF[name] || name)));
    const main = document.getElementById("main");
    main.setAttribute("aria-busy", "true");
    const asked = ++state.routed;  // views resolve in any order: only the last one asked for is shown
    const show = (node) => {
      if (asked !== state.routed) return false;
      main.replaceChildren(node);
      main.setAttribute("aria-busy", "false");
      return true;
    };
    state.ready.then(() => view(arg ? decodeURIComponent(arg) : null, params)).then((node) => {
      if (!show(node)) return;
      labelCells(main);
      const focus = main.querySelector(".focus-span, .seg-block.focus");
      if (focus) focus.scrollIntoView({ block: "center" }); else window.scrollTo(0, 0);
    }, (error) => { show(h("p", { class: "error" }, "Could not show this view: " + error.message)); });
  }
  // On a phone list tables stack their rows (app.css): each cell then shows its column's heading.
  function labelCells(root) {
    root.querySelectorAll("table.list").forEach((table) => {
      const heads = Array.from(table.querySelectorAll("tr:first-child > th"), (th) => th.textContent.trim());
      if (!heads.length) return;
      table.querySelectorAll("tr").forEach((tr) => {
        const cells = Array.from(tr.children);
        if (cells.some((c) => c.tagName === "TH" || c.colSpan > 1)) return;
        cells.forEach((td, i) => { if (heads[i]) td.setAttribute("data-label", heads[i]); });
      });
    });
  }
  function start() {
    const embedded = document.getElementById("case-data");
    const data = embedded ? JSON.parse(embedded.textContent) : null;
    state.source = data ? EmbeddedSource(data) : ApiSource();
    // Outlet types only add to what views show: if they cannot be read, every view still works without them.
    state.ready = state.source.sources().then((list) => { state.sources = sourceIndex(list); }, () => {});
    state.source.pairOrText = (seg) => (data ? Promise.resolve(data.texts[seg.id] || "") :
      fetch("/api/text/" + seg.id).then((r) => (r.ok ? r.json() : { text: "" })).then((j) => j.text));
    state.caseName = document.body.dataset.case || "";
    const nav = h("nav", { class: "top" }, h("span", { class: "brand" }, "sourcetrace"), h("span", { class: "case" }, state.caseName),
      NAV.map(([v, label]) => h("a", { href: "#/" + v, "data-view": v }, label)));
    document.body.prepend(h("header", {}, nav));
    window.addEventListener("hashchange", route);
    route();
  }
  document.addEventListener("DOMContentLoaded", start);
})();
