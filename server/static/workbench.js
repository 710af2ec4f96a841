// Turns the query textarea into a SPARQL editor with syntax highlighting.
// Without JavaScript the page stays a plain form.
(function () {
  "use strict";
  var area = document.getElementById("query");
  if (!area || typeof CodeMirror === "undefined") return;
  var editor = CodeMirror.fromTextArea(area, {
    mode: "application/sparql-query",
    lineNumbers: true,
    indentUnit: 2,
    viewportMargin: Infinity,
    extraKeys: {
      "Ctrl-Enter": function () { area.form.requestSubmit(); },
      "Cmd-Enter": function () { area.form.requestSubmit(); },
      // keep Tab for moving focus (keyboard users); indent with Ctrl-]
      "Tab": false, "Shift-Tab": false
    }
  });
  area.form.addEventListener("submit", function () { editor.save(); });
})();
