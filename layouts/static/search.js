/* Starts Pagefind's search UI on the search page; no other page runs JavaScript.
   The site's root is found from this page's address, so search works under any path. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") {
    return;
  }
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href);
  new window.PagefindUI({
    element: "#search",
    baseUrl: root.pathname,
    bundlePath: new URL("pagefind/", root).pathname,
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    autofocus: false,
    translations: { placeholder: "Search the digest" }
  });
  /* Pagefind's box has only a title; give it a visible label. */
  var input = box.querySelector("input");
  if (input && input.form) {
    var label = document.createElement("label");
    input.id = "search-input";
    label.htmlFor = input.id;
    label.className = "search-label";
    label.textContent = "Words to find";
    input.form.parentNode.insertBefore(label, input.form);
  }
})();
