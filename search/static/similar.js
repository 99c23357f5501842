// Similar questions while asking: progressive enhancement of the ask form. Without this
// file the "Check for similar questions" button does the same on the server.
(function () {
  "use strict";

  function setup(box) {
    var form = box.closest("form");
    if (!form) return;
    var title = form.querySelector("[name=title]");
    var body = form.querySelector("[name=body]");
    var results = box.querySelector("[data-similar-results]");
    var texts = box.querySelector("[data-similar-texts]");
    var draft = box.querySelector("[name=search_draft]");
    var openUrl = box.getAttribute("data-open-url").replace(/\/0$/, "/");
    var timer = null;
    var last = "";
    var pending = null;

    function link(item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = openUrl + item.thread_id + "?draft=" + encodeURIComponent(draft.value);
      a.textContent = item.title;  // text, never HTML
      li.appendChild(a);
      if (item.solved) badge(li, "solved", texts.getAttribute("data-solved"));
      if (item.official_answer) badge(li, "official", texts.getAttribute("data-official"));
      return li;
    }

    function badge(li, kind, text) {
      var span = document.createElement("span");
      span.className = "badge badge-" + kind;
      span.textContent = text;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(span);
    }

    function show(items) {
      results.textContent = "";
      if (!items.length) return;
      var heading = document.createElement("h2");
      heading.id = "similar-heading";
      heading.textContent = texts.getAttribute("data-heading");
      var intro = document.createElement("p");
      intro.className = "help";
      intro.textContent = texts.getAttribute("data-intro");
      var list = document.createElement("ul");
      list.className = "similar-list";
      items.forEach(function (item) { list.appendChild(link(item)); });
      results.appendChild(heading);
      results.appendChild(intro);
      results.appendChild(list);
    }

    function lookup() {
      var t = title ? title.value.trim() : "";
      var b = body ? body.value.trim().slice(0, 1000) : "";
      var key = t + "\n" + b;
      if (key === last) return;
      last = key;
      if (t.length < 8 && b.length < 20) { show([]); return; }
      var url = box.getAttribute("data-similar-url") + "?limit=" + box.getAttribute("data-limit") +
        "&title=" + encodeURIComponent(t) + "&body=" + encodeURIComponent(b);
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(url, { credentials: "same-origin", signal: pending.signal })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (json) { if (json) show(json.results); })
        .catch(function () { /* aborted or offline: the button still works */ });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(lookup, 400);
    }
    if (title) title.addEventListener("input", later);
    if (body) body.addEventListener("input", later);
    lookup();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#similar-questions").forEach(setup);
  });
})();
