/* The moderation queue's keyboard and in-place decisions (comments/templates/comments/admin/queue.html).
 *
 * j / k move between comments; a, r, s, e, p, h (and keys other apps' buttons carry) press the
 * button of the current comment that has the same data-queue-key. Every key has its button, and
 * every button works without this script (a form post, or the reject page). With it, decisions
 * are posted in the background, the row leaves the tab it no longer belongs to, focus moves to
 * the next comment and the result is announced in the live region. Wagtail's own setting
 * ("keyboard shortcuts" in the account) turns the keys off. No libraries, no inline code.
 */
(() => {
  'use strict';

  const ROW = '[data-queue-row]';
  let currentId = null;
  let rejectRow = null;

  const config = (() => {
    const element = document.getElementById('wagtail-config');
    try {
      return element ? JSON.parse(element.textContent) : {};
    } catch (error) {
      return {};
    }
  })();
  const keysEnabled = config.KEYBOARD_SHORTCUTS_ENABLED !== false;

  const rows = () => Array.from(document.querySelectorAll(ROW));
  const activeTab = () => {
    const tab = document.querySelector('[data-queue-tab][aria-current="page"]');
    return tab ? tab.dataset.queueTab : 'waiting';
  };

  function announce(message) {
    const region = document.querySelector('[data-queue-announce]');
    if (!region) return;
    region.textContent = '';
    // A fresh text node after a tick, so the same message twice is announced twice.
    window.setTimeout(() => {
      region.textContent = message;
    }, 50);
  }

  function current() {
    const focused = document.activeElement && document.activeElement.closest(ROW);
    if (focused) return focused;
    return currentId ? document.getElementById(`row-${currentId}`) : null;
  }

  function focusRow(row) {
    if (!row) return;
    rows().forEach((each) => each.classList.toggle('comments-queue__row--current', each === row));
    currentId = row.dataset.queueRow;
    row.focus();
    row.scrollIntoView({ block: 'nearest' });
  }

  function move(step) {
    const all = rows();
    if (!all.length) {
      const bar = document.querySelector('[data-queue-keys]');
      if (bar) announce(bar.dataset.emptyText);
      return;
    }
    const index = all.indexOf(current());
    const next = index === -1 ? all[step > 0 ? 0 : all.length - 1] : all[index + step];
    if (next) focusRow(next);
  }

  function updateCounts(result) {
    if (typeof result.waiting !== 'number') return;
    document.querySelectorAll('[data-queue-count="waiting"]').forEach((count) => {
      count.textContent = String(result.waiting);
    });
  }

  function belongs(status) {
    const tab = activeTab();
    return tab === 'all' || tab === status || (tab === 'reported' && status === 'waiting');
  }

  function applyResult(row, result, action) {
    announce(result.message);
    if (!result.ok || !row) return;
    updateCounts(result);
    if (action === 'highlight' || action === 'unhighlight') {
      const button = row.querySelector('[data-queue-key="h"]');
      if (button) {
        const on = result.highlighted;
        button.value = `${on ? 'unhighlight' : 'highlight'}:${result.pk}`;
        button.firstChild.textContent = `${on ? button.dataset.labelOff : button.dataset.labelOn} `;
      }
      return;
    }
    if (result.status && !belongs(result.status)) {
      const all = rows();
      const index = all.indexOf(row);
      const next = all[index + 1] || all[index - 1] || null;
      row.remove();
      if (next) focusRow(next);
      else currentId = null;
    }
  }

  async function post(url, data) {
    const response = await fetch(url, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    try {
      return await response.json();
    } catch (error) {
      // Not JSON (a proxy's error page, an expired session): the queue's own words, translated.
      const bar = document.querySelector('[data-queue-keys]');
      return { ok: false, message: bar ? bar.dataset.failedText : '' };
    }
  }

  // A row's buttons: decide in the background.
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (form.matches('[data-queue-reject-form]')) {
      event.preventDefault();
      const result = await post(form.action, new FormData(form));
      if (result.ok) {
        document.getElementById('reject-dialog').dispatchEvent(new CustomEvent('w-dialog:hide'));
        form.reset();
      }
      applyResult(rejectRow, result, 'reject');
      if (result.ok && !rejectRow) announce(result.message);
      return;
    }
    if (!form.matches('[data-queue-form]')) return;
    const submitter = event.submitter;
    if (!submitter || submitter.hasAttribute('data-queue-extra')) return; // other apps' buttons post as usual
    event.preventDefault();
    const row = form.closest(ROW);
    const data = new FormData(form);
    data.set(submitter.name, submitter.value);
    const action = submitter.value.split(':')[0];
    submitter.disabled = true;
    const result = await post(form.action, data);
    submitter.disabled = false;
    applyResult(row, result, action);
  });

  // Reject asks why, in Wagtail's dialog, only now.
  document.addEventListener('click', (event) => {
    const mover = event.target.closest('[data-queue-move]');
    if (mover) {
      move(Number(mover.dataset.queueMove));
      return;
    }
    const link = event.target.closest('[data-queue-reject]');
    const dialog = document.getElementById('reject-dialog');
    const form = dialog && dialog.querySelector('[data-queue-reject-form]');
    if (!link || !form) return;
    event.preventDefault();
    rejectRow = link.closest(ROW);
    if (rejectRow) currentId = rejectRow.dataset.queueRow;
    form.action = link.href;
    dialog.dispatchEvent(new CustomEvent('w-dialog:show'));
    const first = form.querySelector('input[type=radio]');
    if (first) window.setTimeout(() => first.focus(), 50);
  });

  function typing(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
    );
  }

  function dialogOpen() {
    return Array.from(document.querySelectorAll('.w-dialog')).some(
      (dialog) => dialog.getAttribute('aria-hidden') !== 'true',
    );
  }

  document.addEventListener('keydown', (event) => {
    if (!keysEnabled || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || dialogOpen() || !document.querySelector('.comments-queue, [data-queue-keys]'))
      return;
    const key = event.key;
    if (key === 'j' || key === 'k') {
      event.preventDefault();
      move(key === 'j' ? 1 : -1);
      return;
    }
    if (key.length !== 1 || key === '?' || key === '/') return; // Wagtail's own keys
    const row = current();
    if (!row) return;
    const button = row.querySelector(`[data-queue-key="${CSS.escape(key)}"]`);
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // The keyboard bar is only useful with this script.
  const bar = document.querySelector('[data-queue-keys]');
  if (bar) bar.hidden = false;
})();
