// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./nhsuk-frontend.min.js";

// The design system's components start only on a page that says modules run here; this file is a
// module, so they do (the usual inline script would break the content security policy).
document.body.classList.add("nhsuk-frontend-supported");
initAll();
