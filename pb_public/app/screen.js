// The big screen, /screen/{code}: the join address and QR code, the
// counters and the live results of the current activity, drawn from the
// public live document only. It follows the session by itself.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { cleanCode, codeFromPath, connectAnonymous, follow, getLive, validCode } from './api.js';
import { QuizClock } from './answer.js';
import { num, t } from './i18n.js';
import { Banner, Leaderboard, PokerSummary, Results, html } from './ui.js';

function App() {
  const code = codeFromPath();
  const [doc, setDoc] = useState(null);
  const [state, setState] = useState(validCode(code) ? 'loading' : 'ask');
  const [offline, setOffline] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!validCode(code)) return undefined;
    const pb = connectAnonymous(); // the screen is nobody, whoever is logged in on this browser
    let stop = null;
    let retry = null;
    let cancelled = false;
    getLive(pb, code)
      .then((d) => {
        setDoc((old) => (old && old.version >= d.version ? old : d));
        setState('ready');
        return follow(pb, code, { onDoc: setDoc, onLink: setOffline });
      })
      .then((u) => (cancelled ? u() : (stop = u)))
      .catch((err) => {
        if (err.status === 404) return setState('unknown');
        // Unreachable for now: show it, and try again by itself.
        setState('error');
        retry = setTimeout(() => setAttempt((n) => n + 1), 5000);
      });
    return () => {
      cancelled = true;
      clearTimeout(retry);
      stop?.();
    };
  }, [code, attempt]);

  useEffect(() => {
    document.title = `${doc ? doc.session.title : t.screenTitle} · ${t.appName}`;
  }, [doc?.session.title]);

  let body;
  if (state === 'ask') body = html`<${AskCode} />`;
  else if (state === 'unknown') body = html`<div class="center"><h1>${t.unknownTitle}</h1><p>${t.unknownBody}</p></div>`;
  else if (state === 'error') body = html`<div class="center"><h1>${t.networkError}</h1></div>`;
  else if (!doc) body = html`<div class="center"><p>${t.loading}</p></div>`;
  else body = html`<${Stage} doc=${doc} />`;
  return html`<${Banner} offline=${offline} /><main id="main" class="stage">${body}</main>`;
}

function AskCode() {
  const [code, setCode] = useState('');
  return html`<form class="center ask" onSubmit=${(e) => {
    e.preventDefault();
    if (validCode(cleanCode(code))) location.assign(`/screen/${cleanCode(code)}`);
  }}>
    <h1>${t.screenTitle}</h1>
    <p>${t.screenCodePrompt}</p>
    <label for="code">${t.codeLabel}</label>
    <input id="code" class="code" value=${code} maxlength="8" autocomplete="off" onInput=${(e) => setCode(e.currentTarget.value)} />
    <button type="submit">${t.showButton}</button>
  </form>`;
}

/** joinAddress is the join URL resolved against this page's origin (it is origin-relative when the server has no public URL). */
function joinAddress(doc) {
  const u = new URL(doc.session.join_url, location.origin);
  const path = u.pathname.replace(/\/$/, '');
  const cut = path.lastIndexOf('/') + 1;
  return { href: u.href, shown: u.host + path, head: u.host + path.slice(0, cut), tail: path.slice(cut) };
}

function Counter({ id, label, value }) {
  return html`<div class="counter">
    <span class="counter-label" id=${id}>${label}</span>
    <output aria-labelledby=${id}>${value}</output>
  </div>`;
}

function Stage({ doc }) {
  const { session, activity: a } = doc;
  const join = joinAddress(doc);
  const qr = html`<img class="qr" src=${`/api/live/${session.code}/qr.svg`} alt=${t.qrAlt(join.shown)} />`;
  const participants = html`<${Counter} id="count-participants" label=${t.participants} value=${num(doc.participants.count)} />`;

  if (session.status === 'completed') {
    return html`<section class="ended">
      <h1>${session.title}</h1>
      <p class="lead">${t.thanks}</p>
      ${doc.leaderboard ? html`<${Leaderboard} entries=${doc.leaderboard} final />` : null}
    </section>`;
  }
  if (!a) {
    return html`<section class="lobby">
      <div class="lobby-text">
        <h1>${session.title}</h1>
        <p class="lead">${session.status === 'draft' ? t.lobbyDraft : t.lobbyBody}</p>
        <p class="join-label">${t.joinAt}</p>
        <p class="join-url">${join.head}<wbr />${join.tail}</p>
        <p class="join-label">${t.withCode}</p>
        <p class="join-code">${session.code}</p>
        ${participants}
      </div>
      ${qr}
    </section>`;
  }
  return html`<section class="activity">
    <header class="strip">
      <span class="strip-url">${join.shown}</span>
      <span class="strip-code">${t.withCode} <strong>${session.code}</strong></span>
      ${qr}
    </header>
    <p class="eyebrow">${t.questionOf(a.position, a.of)}</p>
    <h1>${a.title}</h1>
    <div class="counters">
      ${participants}
      ${a.type === 'qa'
        ? html`<${Counter} id="count-questions" label=${t.questionsCount} value=${num(doc.results?.public ?? 0)} />`
        : html`<${Counter} id="count-answered" label=${t.answered} value=${t.answeredOf(a.answered ?? 0, doc.participants.count)} />`}
      ${a.type === 'quiz' && a.status === 'active' && !a.revealed ? html`<${QuizClock} activity=${a} />` : null}
    </div>
    <div class=${doc.leaderboard ? 'results with-board' : 'results'}>
      <div class="chart">${chart(doc)}</div>
      ${doc.leaderboard ? html`<${Leaderboard} entries=${doc.leaderboard} />` : null}
    </div>
  </section>`;
}

// MAX_CARDS is how many poker cards fit the screen; the rest is a count.
const MAX_CARDS = 48;

function more(n) {
  return n > MAX_CARDS ? html`<li class="more" aria-label=${t.moreCards(n - MAX_CARDS)}>+${n - MAX_CARDS}</li>` : null;
}

function chart(doc) {
  const { activity: a, results } = doc;
  if (a.type === 'poker') {
    const answered = a.answered ?? 0;
    if (!results?.votes) {
      return html`<ul class="poker-cards" aria-label=${t.votesList}>
        ${Array.from({ length: Math.min(answered, MAX_CARDS) }, (_, i) => html`<li key=${i} class="face-down" aria-label=${t.hiddenVote}></li>`)}
        ${more(answered)}
      </ul>`;
    }
    return html`<div class="poker-revealed">
      <ul class="poker-cards" aria-label=${t.votesList}>
        ${results.votes.slice(0, MAX_CARDS).map(
          (v) => html`<li key=${v.nickname} class="face-up" aria-label=${t.voteLabel(v.nickname, v.card)}>
            <span class="card-value" aria-hidden="true">${v.card}</span>
            <span class="card-name" aria-hidden="true">${v.nickname}</span>
          </li>`,
        )}
        ${more(results.votes.length)}
      </ul>
      <${PokerSummary} deck=${a.deck} results=${results} />
    </div>`;
  }
  if (!results) return html`<p class="muted waiting">${a.status === 'active' ? t.waitForHost : t.closedTitle}</p>`;
  return html`<${Results} activity=${a} results=${results} big />`;
}

render(html`<${App} />`, document.getElementById('app'));
