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

function lineOf(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return element ? element.closest(".focuson-source__text") : null;
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
    const first = lineOf(range.startContainer);
    const last = lineOf(range.endContainer);
    if (!first || !last || !source.contains(first) || !source.contains(last)) return;
    start.value = offsetIn(first, range.startContainer, range.startOffset);
    end.value = offsetIn(last, range.endContainer, range.endOffset);
    // The words between, lines joined as in the text (the line numbers are not part of it).
    const words = [];
    for (const line of source.querySelectorAll(".focuson-source__text")) {
      if (!range.intersectsNode(line)) continue;
      const part = document.createRange();
      part.selectNodeContents(line);
      if (line === first) part.setStart(range.startContainer, range.startOffset);
      if (line === last) part.setEnd(range.endContainer, range.endOffset);
      words.push(part.toString());
    }
    passage.value = words.join("\n");
    typed.forEach((input) => input && (input.value = ""));
    note.textContent = form.dataset.selectedLabel || "Selected passage filled in below.";
  });
}

document.querySelectorAll("form.focuson-coding-form").forEach(connect);
