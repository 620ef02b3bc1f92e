// The reader's text size (normal, large, larger) from the text_size cookie, set before the first
// paint. Pages shared through public caches never carry it in their HTML (idea4gov/a11y.py).
(function () {
  "use strict";
  var found = /(?:^|;\s*)text_size=(large|larger)(?:;|$)/.exec(document.cookie);
  if (found) document.documentElement.setAttribute("data-text-size", found[1]);
})();
