// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // Live Markdown preview: the same server-side renderer as the stored post.
  function setupPreview(form) {
    var url = form.getAttribute("data-preview-url");
    var body = form.querySelector("textarea[name=body]");
    var target = form.querySelector("[data-preview-target]");
    if (!url || !body || !target) return;
    var timer = null;
    function render() {
      var data = new FormData();
      data.append("body", body.value);
      fetch(url, { method: "POST", body: data, credentials: "same-origin",
                   headers: { "X-CSRFToken": csrfToken(form) } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (json) {
          if (!json) return;
          target.innerHTML = "";
          if (!body.value.trim()) return;
          var box = document.createElement("div");
          box.className = "post-body";
          box.innerHTML = json.html;  // sanitized by the server's bleach Cleaner
          target.appendChild(box);
        });
    }
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-preview-url]").forEach(setupPreview);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
