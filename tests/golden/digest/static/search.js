/* The search page's interface, over Pagefind's search API (pagefind/<part>/pagefind.js).
   No other page runs JavaScript.  Every string that comes from the index (titles,
   excerpts, filter names and values) is put into the page as text, never as markup:
   elements are built with createElement and textContent, and the <mark> tags of an
   excerpt are rebuilt as elements from its text.  The site's root is found from this
   page's address, so search works under any path; ?q=words searches on load. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var filterBox = document.getElementById("search-filters");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var box = document.getElementById("search");
  if (!form || !input || !status || !filterBox || !list || !more || !box) {
    return;
  }
  var PAGE = 10;
  var LEGENDS = { topic: "Topic", tag: "Tag", outlet: "Outlet" };
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href);
  var pagefind = null;
  var latest = 0;
  var shown = [];
  var boxes = {};

  function say(text) {
    status.textContent = text;
  }

  if (window.location.protocol === "file:") {
    say("Search needs a web server: browsers do not load the search index from files on " +
        "disk. Run `digest serve` and open the search page it shows, or use the site " +
        "where it is published.");
    return;
  }
  form.hidden = false;

  function element(name, className, text) {
    var made = document.createElement(name);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  /* Pagefind escapes < and > of the indexed text and wraps matched words in <mark>,
     so "<mark>" and "</mark>" in an excerpt are only ever its own. */
  function unescape(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  }

  function excerpt(text) {
    var paragraph = element("p", "search-excerpt");
    var pieces = String(text || "").split(/(<mark>|<\/mark>)/);
    var marked = false;
    pieces.forEach(function (piece) {
      if (piece === "<mark>") {
        marked = true;
      } else if (piece === "</mark>") {
        marked = false;
      } else if (piece) {
        var words = document.createTextNode(unescape(piece));
        if (marked) {
          var mark = element("mark");
          mark.appendChild(words);
          paragraph.appendChild(mark);
        } else {
          paragraph.appendChild(words);
        }
      }
    });
    return paragraph;
  }

  function safeLink(url) {
    var resolved = new URL(String(url || ""), root);
    return resolved.origin === root.origin ? resolved.href : root.href;
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var item = element("li", "search-result");
    var heading = element("h2", "search-result-title");
    var link = element("a", "", meta.title || data.url);
    link.href = safeLink(data.url);
    heading.appendChild(link);
    item.appendChild(heading);
    if (meta.part) {
      item.appendChild(element("p", "search-result-part", meta.part));
    }
    item.appendChild(excerpt(data.excerpt));
    return item;
  }

  function selected() {
    var chosen = {};
    Object.keys(boxes).forEach(function (key) {
      var values = boxes[key].filter(function (b) { return b.input.checked; })
        .map(function (b) { return b.value; });
      if (values.length) {
        chosen[key] = { any: values };
      }
    });
    return chosen;
  }

  function showCounts(counts) {
    Object.keys(boxes).forEach(function (key) {
      boxes[key].forEach(function (b) {
        var count = counts && counts[key] ? counts[key][b.value] || 0 : 0;
        b.count.textContent = " (" + count + ")";
      });
    });
  }

  function buildFilters(all) {
    Object.keys(LEGENDS).forEach(function (key) {
      var values = Object.keys(all[key] || {}).sort(function (a, b) {
        return a.localeCompare(b);
      });
      if (!values.length) {
        return;
      }
      var details = element("details", "search-filter");
      details.appendChild(element("summary", "", LEGENDS[key]));
      var group = element("ul", "search-filter-values");
      group.setAttribute("aria-label", LEGENDS[key]);
      boxes[key] = values.map(function (value, index) {
        var row = element("li");
        var check = element("input");
        check.type = "checkbox";
        check.id = "filter-" + key + "-" + index;
        var label = element("label", "", value);
        label.htmlFor = check.id;
        var count = element("span", "search-filter-count");
        label.appendChild(count);
        check.addEventListener("change", run);
        row.appendChild(check);
        row.appendChild(label);
        group.appendChild(row);
        return { input: check, value: value, count: count };
      });
      details.appendChild(group);
      filterBox.appendChild(details);
    });
    showCounts(all);
  }

  /* The next page of results.  A new search passes its status line (fresh): the results
     shown are replaced and the status said in one step once its first page is ready, so the
     list is never seen empty, nor under another search's count, between two searches. */
  function showMore(fresh) {
    var next = shown.splice(0, PAGE);
    var mine = latest;
    more.hidden = true;
    return Promise.all(next.map(function (result) { return result.data(); }))
      .then(function (found) {
        if (mine !== latest) {
          return;
        }
        var items = found.map(resultItem);
        if (typeof fresh === "string") {
          list.replaceChildren.apply(list, items);
          say(fresh);
        } else {
          items.forEach(function (item) { list.appendChild(item); });
        }
        more.hidden = shown.length === 0;
      });
  }

  function run() {
    if (!pagefind) {
      return Promise.resolve();
    }
    var words = input.value.trim();
    var filters = selected();
    var mine = ++latest;
    var address = new URL(window.location.href);
    if (words) {
      address.searchParams.set("q", words);
    } else {
      address.searchParams.delete("q");
    }
    window.history.replaceState(null, "", address.href);
    if (!words && !Object.keys(filters).length) {
      list.textContent = "";
      more.hidden = true;
      say("");
      return pagefind.filters().then(showCounts);
    }
    return pagefind.search(words || null, { filters: filters }).then(function (search) {
      if (mine !== latest || !search) {
        return;
      }
      shown = search.results.slice();
      var total = shown.length;
      var what = words ? " for “" + words + "”" : "";
      showCounts(search.filters);
      return showMore(total === 0 ? "No results" + what + "." :
          total + (total === 1 ? " result" : " results") + what + ".");
    }).catch(failed);
  }

  function failed() {
    say("Search could not load its index. Reload the page; if it still fails, " +
        "the site may need to be built again.");
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
  more.addEventListener("click", showMore);

  /* The index comes in parts (pagefind/parts.json, written by the build): the first
     part's pagefind.js is loaded and the others are merged into it, so one search
     covers them all (Pagefind adds up their filter counts and orders their results by
     score; merged parts share the first one's WebAssembly).  A part is only ever a
     plain folder name inside pagefind/ of this site. */
  function partPaths(manifest) {
    var names = manifest && Array.isArray(manifest.parts) ? manifest.parts : [];
    var base = new URL("pagefind/", root);
    var paths = names.map(function (name) {
      if (typeof name !== "string" || !/^[0-9a-z-]+\/$/.test(name)) {
        throw new Error("not a part of the index");
      }
      var part = new URL(name, base);
      if (part.origin !== root.origin || part.href.indexOf(base.href) !== 0) {
        throw new Error("not a part of the index");
      }
      return part.pathname;
    });
    if (!paths.length) {
      throw new Error("no parts in the index");
    }
    return paths;
  }

  function load(paths) {
    var options = { baseUrl: root.pathname, excerptLength: 30 };
    return import(new URL(paths[0] + "pagefind.js", root).href).then(function (module) {
      return module.options(options)
        .then(function () {
          return Promise.all(paths.slice(1).map(function (path) {
            return module.mergeIndex(path, options);
          }));
        })
        .then(function () { return module; });
    });
  }

  say("Loading the search index…");
  fetch(new URL("pagefind/parts.json", root).href, { cache: "no-cache" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("no index");
      }
      return response.json();
    })
    .then(function (manifest) { return load(partPaths(manifest)); })
    .then(function (module) {
      pagefind = module;
      return pagefind.filters();
    })
    .then(function (all) {
      buildFilters(all || {});
      say("");
      var asked = new URL(window.location.href).searchParams.get("q");
      if (asked && !input.value.trim()) {
        input.value = asked;
      }
      if (input.value.trim()) {  /* ?q=, or words typed while the index loaded */
        return run();
      }
    })
    .catch(failed);
})();
