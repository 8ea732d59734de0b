// Coding a passage by selecting it (progressive enhancement: the form works without this).
//
// Browsers count text in UTF-16 units; the server stores code points. This script only sends
// UTF-16 offsets (hidden fields utf16_start and utf16_end) and the selected words; the server
// converts the offsets and checks them against the text it has, so an emoji or a Bengali vowel
// sign is never split by a difference of counting.

function offsetIn(lineText, node, offset) {
  // UTF-16 units from the start of the line's text to (node, offset).
  const range = document.createRange();
  range.selectNodeContents(lineText);
  range.setEnd(node, offset);
  return Number(lineText.dataset.u16) + range.toString().length;
}

function connect(form) {
  const source = document.getElementById(form.dataset.source);
  if (!source) return;
  const start = form.querySelector("input[name=utf16_start]");
  const end = form.querySelector("input[name=utf16_end]");
  const passage = form.querySelector("textarea[name=passage]");
  const typed = [form.querySelector("input[name=start]"), form.querySelector("input[name=end]")];
  const note = document.createElement("p");
  note.className = "focuson-selection-note";
  note.setAttribute("aria-live", "polite");
  form.prepend(note);

  function clear() {
    start.value = "";
    end.value = "";
  }
  // A person who types a passage or offsets takes over from the last selection.
  [passage, ...typed].forEach((input) => input && input.addEventListener("input", clear));

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    // The lines' texts the selection covers (not the line numbers beside them). A selection
    // may start or end outside a line's text (a triple click ends at the next line): it then
    // runs from the first line's start or to the last line's end.
    const lines = [...source.querySelectorAll(".focuson-source__text")].filter((line) =>
      range.intersectsNode(line),
    );
    if (lines.length === 0) return;
    const first = lines[0];
    const last = lines[lines.length - 1];
    const startsInside = first.contains(range.startContainer);
    const endsInside = last.contains(range.endContainer);
    start.value = startsInside
      ? offsetIn(first, range.startContainer, range.startOffset)
      : Number(first.dataset.u16);
    end.value = endsInside
      ? offsetIn(last, range.endContainer, range.endOffset)
      : Number(last.dataset.u16) + last.textContent.length; // JavaScript counts UTF-16 too
    // The words between, lines joined as in the text.
    const words = lines.map((line) => {
      const part = document.createRange();
      part.selectNodeContents(line);
      if (line === first && startsInside) part.setStart(range.startContainer, range.startOffset);
      if (line === last && endsInside) part.setEnd(range.endContainer, range.endOffset);
      return part.toString();
    });
    passage.value = words.join("\n");
    typed.forEach((input) => input && (input.value = ""));
    note.textContent = form.dataset.selectedLabel || "Selected passage filled in below.";
  });
}

document.querySelectorAll("form.focuson-coding-form").forEach(connect);
