// Starts GOV.UK Frontend's components. Pages load it with
// <script type="module" src="{{asset "init.js"}}"></script>, as an external
// file because the Content-Security-Policy allows no inline script. Only
// browsers that run ES modules run this, which is the test GOV.UK Frontend
// asks for before it marks the page as supported.
import { initAll } from "/assets/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
