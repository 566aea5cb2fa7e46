// Starts GOV.UK Frontend's components and refreshes the live parts of console pages without a reload.
import { initAll } from '/govuk/govuk-frontend.min.js';
initAll();

for (const region of document.querySelectorAll('[data-live-url]')) {
  const url = region.getAttribute('data-live-url');
  const seconds = Number(region.getAttribute('data-live-seconds') || '5');
  const status = region.parentElement.querySelector('[data-live-status]');
  setInterval(async () => {
    // Do not replace the table under a keyboard or screen-reader user's focus.
    if (region.contains(document.activeElement) && document.activeElement !== document.body) return;
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
      // A session that has ended is sent to the sign-in page: reload, so the page itself goes there.
      if (response.redirected) { location.reload(); return; }
      if (!response.ok) return;
      region.innerHTML = await response.text();
      if (status) status.textContent = 'Updated at ' + new Date().toLocaleTimeString('en-GB') + '.';
    } catch { /* the next tick tries again */ }
  }, seconds * 1000);
}
