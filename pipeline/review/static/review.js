// ngo-pipeline review: editing, confirming, saving, keyboard navigation. Plain JavaScript, no build.
// Text is only ever read and written through textContent: nothing a release contains becomes HTML.
(function () {
  "use strict";
  var body = document.body;
  var live = body.dataset.mode === "live";
  var docEl = document.getElementById("doc");
  var saveBtn = document.getElementById("save");
  var message = document.getElementById("message");
  var tokenMeta = document.querySelector('meta[name="review-token"]');
  var filter = document.getElementById("only-flagged");

  function say(text, kind) {
    if (!message) return;
    message.textContent = text;
    message.className = kind || "";
  }

  // -- filter to flagged sentences ----------------------------------------------------------------
  if (filter) {
    filter.addEventListener("change", function () { body.classList.toggle("only-flagged", filter.checked); });
  }

  // -- risk order and filter (issue 22): errors, then low confidence, then other flags, then the rest
  // Each control acts on the table of its own document (the static export holds several).
  function tableOf(control) {
    var section = control.closest("section.doc-section") || document;
    return section.querySelector("table.segments");
  }
  function riskOrder(table, byRisk) {
    if (!table) return;
    var segs = Array.prototype.slice.call(table.querySelectorAll("tr.seg"));
    var key = function (r) { return Number(r.getAttribute(byRisk ? "data-risk" : "data-order")) * 1e6 + Number(r.getAttribute("data-order")); };
    var holder = table.querySelector("tbody.by-risk");
    if (byRisk) {
      if (!holder) { holder = document.createElement("tbody"); holder.className = "by-risk"; table.appendChild(holder); }
      segs.sort(function (a, b) { return key(a) - key(b); });
      segs.forEach(function (r) {
        if (!r._home) r._home = r.parentNode;
        holder.appendChild(r);
      });
      table.classList.add("ordered-by-risk");
    } else {
      segs.sort(function (a, b) { return key(a) - key(b); });
      segs.forEach(function (r) { if (r._home) r._home.appendChild(r); });
      table.classList.remove("ordered-by-risk");
    }
  }
  document.querySelectorAll("select.risk-order").forEach(function (sel) {
    sel.addEventListener("change", function () { riskOrder(tableOf(sel), sel.value === "risk"); });
  });
  document.querySelectorAll("select.risk-show").forEach(function (sel) {
    sel.addEventListener("change", function () {
      var table = tableOf(sel);
      if (table) table.setAttribute("data-show", sel.value);
    });
  });

  // -- navigation between flagged sentences -----------------------------------------------------
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.seg.flagged")); }
  function currentRow() {
    var el = document.activeElement;
    var row = el && el.closest ? el.closest("tr.seg") : null;
    return row || document.querySelector("tr.seg.current");
  }
  function go(step) {
    var list = rows();
    if (!list.length) { say("No flagged sentences."); return; }
    var cur = currentRow();
    var i = cur ? list.indexOf(cur) : -1;
    if (i === -1 && cur) {  // not on a flagged row: the next one below or above it
      var all = Array.prototype.slice.call(document.querySelectorAll("tr.seg"));
      var pos = all.indexOf(cur);
      i = step > 0 ? -1 : list.length;
      for (var k = 0; k < list.length; k++) {
        if (all.indexOf(list[k]) > pos) { i = step > 0 ? k - 1 : k; break; }
      }
    }
    var next = list[Math.max(0, Math.min(list.length - 1, i + step))];
    focusRow(next);
  }
  function focusRow(row) {
    document.querySelectorAll("tr.seg.current").forEach(function (r) { r.classList.remove("current"); });
    row.classList.add("current");
    var target = row.querySelector("td.cell .tgt");
    if (target && live) { target.focus(); } else { row.scrollIntoView({block: "center"}); }
    if (target && target.scrollIntoView) target.scrollIntoView({block: "center"});
  }

  document.addEventListener("keydown", function (e) {
    var editing = e.target && e.target.isContentEditable;
    if ((e.altKey && e.key === "ArrowDown") || (!editing && !e.ctrlKey && !e.metaKey && !e.altKey && e.key === "j")) {
      e.preventDefault(); go(1);
    } else if ((e.altKey && e.key === "ArrowUp") || (!editing && !e.ctrlKey && !e.metaKey && !e.altKey && e.key === "k")) {
      e.preventDefault(); go(-1);
    } else if (live && (e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      var cell = e.target.closest ? e.target.closest("td.cell") : null;
      if (cell) confirmCell(cell);
    } else if (live && (e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
      e.preventDefault(); save();
    } else if (editing && e.key === "Enter") {
      e.preventDefault();  // one sentence, one line
    }
  });

  // -- the batch overview: sort by a column here (the static export has no server to ask) -------
  var list = document.getElementById("doc-list");
  if (list) {
    var RANK = {"failed": 0, "partial": 1, "needs-review": 2, "record": 3, "ok": 4, "skipped": 5,
                "unsupported": 6, "planned": 7};
    var num = function (r, k) { return Number(r.getAttribute("data-" + k)) || 0; };
    var KEYS = {  // the same orders as pipeline/review/overview.py SORT_KEYS
      path: function (r) { return [r.dataset.path]; },
      status: function (r) { var k = RANK[r.dataset.status]; return [k === undefined ? 9 : k, r.dataset.path]; },
      lang: function (r) { return [r.dataset.lang || "~", r.dataset.path]; },
      errors: function (r) { return [-num(r, "errors"), r.dataset.path]; },
      warnings: function (r) { return [-num(r, "warnings"), r.dataset.path]; },
      low: function (r) { return [-num(r, "low"), r.dataset.path]; },
      review: function (r) { return [num(r, "review"), -num(r, "edits"), r.dataset.path]; }
    };
    var compare = function (a, b) {
      for (var i = 0; i < a.length; i++) { if (a[i] < b[i]) return -1; if (a[i] > b[i]) return 1; }
      return 0;
    };
    list.addEventListener("click", function (ev) {
      var button = ev.target.closest ? ev.target.closest("button.sort") : null;
      if (!button || !KEYS[button.dataset.key]) return;
      var key = KEYS[button.dataset.key];
      var tbody = list.tBodies[0];
      var docs = Array.prototype.slice.call(tbody.querySelectorAll("tr.doc"));
      docs.sort(function (a, b) { return compare(key(a), key(b)); });
      docs.forEach(function (r) { tbody.appendChild(r); });
      list.querySelectorAll("th[data-key]").forEach(function (th) {
        if (th.dataset.key === button.dataset.key) th.setAttribute("aria-sort", "other");
        else th.removeAttribute("aria-sort");
      });
      list.setAttribute("data-sort", button.dataset.key);
    });
  }

  if (!live || !docEl) return;

  // -- editing ------------------------------------------------------------------------------------
  var original = new Map();
  document.querySelectorAll("td.cell .tgt").forEach(function (el) { original.set(el, el.textContent); });

  function pending() { return document.querySelectorAll("td.cell.dirty, td.cell.confirmed-pending").length; }
  function refresh() {
    var n = pending();
    saveBtn.disabled = n === 0;
    saveBtn.textContent = n ? "Save (" + n + ")" : "Save";
  }
  function markEdited(el) {
    var cell = el.closest("td.cell");
    var changed = el.textContent !== original.get(el);
    cell.classList.toggle("dirty", changed);
    if (changed) cell.classList.remove("confirmed-pending");
    refresh();
  }
  function confirmCell(cell) {
    if (cell.classList.contains("dirty")) { say("Edited: Save stores it as your translation."); return; }
    cell.classList.add("confirmed-pending", "confirmed");
    refresh();
    say("Confirmed " + cell.querySelector(".tgt").dataset.seg + " [" + cell.dataset.lang + "]: Save to store it.");
  }
  docEl.addEventListener("input", function (e) { if (e.target.classList.contains("tgt")) markEdited(e.target); });
  docEl.addEventListener("paste", function (e) {  // paste as plain text on browsers without plaintext-only
    if (!e.target.closest || !e.target.closest(".tgt")) return;
    e.preventDefault();
    var text = (e.clipboardData || window.clipboardData).getData("text/plain").replace(/\s*[\r\n]+\s*/g, " ");
    document.execCommand("insertText", false, text);
  });
  docEl.addEventListener("focusin", function (e) {
    var row = e.target.closest ? e.target.closest("tr.seg") : null;
    if (!row) return;
    document.querySelectorAll("tr.seg.current").forEach(function (r) { if (r !== row) r.classList.remove("current"); });
    row.classList.add("current");
  });
  docEl.addEventListener("click", function (e) {
    var btn = e.target.closest ? e.target.closest("button") : null;
    if (!btn) return;
    var cell = btn.closest("td.cell");
    if (btn.classList.contains("confirm")) confirmCell(cell);
    if (btn.classList.contains("use")) {
      var el = cell.querySelector(".tgt");
      el.textContent = btn.dataset.text;
      markEdited(el);
      el.focus();
    }
  });
  if (saveBtn) saveBtn.addEventListener("click", save);
  window.addEventListener("beforeunload", function (e) { if (pending()) { e.preventDefault(); e.returnValue = ""; } });

  // -- saving -------------------------------------------------------------------------------------
  var saving = false;
  function save() {
    if (saving) return;
    var changes = [];
    var cells = [];
    document.querySelectorAll("td.cell.dirty, td.cell.confirmed-pending").forEach(function (cell) {
      var el = cell.querySelector(".tgt");
      var dirty = cell.classList.contains("dirty");
      changes.push({segment: el.dataset.seg, lang: el.dataset.lang, text: dirty ? el.textContent : null});
      cells.push(cell);
    });
    if (!changes.length) { say("Nothing to save."); return; }
    saving = true;
    saveBtn.disabled = true;
    say("Saving…");
    var path = docEl.dataset.docId.split("/").map(encodeURIComponent).join("/");
    fetch("/api/save/" + path, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Review-Token": tokenMeta.content},
      body: JSON.stringify({version: docEl.dataset.version, changes: changes}),
      credentials: "same-origin",
    }).then(function (r) {
      return r.json().catch(function () { return {error: "HTTP " + r.status}; }).then(function (data) {
        if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
        return data;
      });
    }).then(function (data) {
      docEl.dataset.version = data.version;
      cells.forEach(function (cell) {
        var el = cell.querySelector(".tgt");
        el.textContent = el.textContent;  // flagged spans no longer apply
        original.set(el, el.textContent);
        cell.classList.remove("dirty", "confirmed-pending");
        cell.classList.add("confirmed");
        var st = cell.querySelector(".status");
        if (st) { st.textContent = "memory (human)"; st.className = "status st-human"; }
        showFlags(cell, (data.flags || []).filter(function (f) {
          return f.segment === el.dataset.seg && f.lang === el.dataset.lang;
        }));
      });
      say("Saved " + changes.length + " sentence(s); " + data.saved.length + " file(s) rewritten." +
          ((data.warnings || []).length ? " Warning: " + data.warnings.join("; ") : ""), "ok");
    }).catch(function (err) {
      say("Not saved: " + err.message, "error");
    }).finally(function () { saving = false; refresh(); });
  }
  // The flags of a saved sentence are those the server found after the save (the edit re-checked).
  function showFlags(cell, flags) {
    var old = cell.querySelector("ul.flags");
    if (old) old.remove();
    if (flags.length) {
      var ul = document.createElement("ul");
      ul.className = "flags";
      flags.forEach(function (f) {
        var li = document.createElement("li");
        li.className = "sev-" + (f.severity || "warning");
        var code = document.createElement("code");
        code.textContent = f.code;
        li.appendChild(code);
        li.appendChild(document.createTextNode(" " + f.message));
        ul.appendChild(li);
      });
      cell.querySelector(".meta").after(ul);
    }
    var row = cell.closest("tr.seg");
    row.classList.toggle("flagged", !!row.querySelector("ul.flags li"));
  }
  refresh();
})();
