// The phone page, /join and /join/{code}: join, then follow the session's
// live document and answer the current activity. Every screen is drawn
// from the live document and the participant's own state in it.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  answer,
  checkNickname,
  cleanCode,
  codeFromPath,
  connect,
  explain,
  follow,
  getLive,
  heartbeat,
  isBanned,
  join,
  myResponse,
  rememberRemoved,
  validCode,
  wasRemoved,
} from './api.js';
import { t } from './i18n.js';
import { Banner, Leaderboard, Results, html } from './ui.js';
import { ActivityForm, formatAnswer } from './answer.js';
import { QA } from './qa.js';

const HEARTBEAT_MS = 20000;
const STANDING_SPREAD_MS = 1000;
// A dropped connection of a joined phone is followed by one read of `me`
// within this long (a ban refuses the reconnect, so no reconnect read comes);
// spread so that a room whose Wi-Fi drops does not read all at once.
const KICK_CHECK_SPREAD_MS = 1000;

function App() {
  const [code, setCode] = useState(codeFromPath);
  const [pb, setPb] = useState(() => (validCode(code) ? connect(code) : null));
  // stage: loading | form | unknown | joined | kicked | banned | error
  const [stage, setStage] = useState(pb ? 'loading' : 'form');
  const [doc, setDoc] = useState(null);
  const [me, setMe] = useState(null);
  const [answers, setAnswers] = useState({});
  const [offline, setOffline] = useState(false);
  const prev = useRef(null);

  // refresh reads the live state with the token: who we are and our
  // answer to the current activity. No `me` with a token means the
  // participant is gone: kicked, or banned (the removed token is kept, and
  // the join check says which).
  const refresh = async (client = pb) => {
    // An expired token (5 days) is not a kick: forget it and join again.
    if (client.authStore.token && !client.authStore.isValid) client.authStore.clear();
    const hadToken = Boolean(client.authStore.token);
    let live;
    try {
      live = await getLive(client, code);
    } catch (err) {
      if (err.status === 404) return setStage('unknown');
      return setStage((s) => (s === 'joined' ? s : 'error'));
    }
    setDoc((d) => (d && d.version > live.version ? d : live));
    if (live.me) {
      setMe(live.me);
      if (live.activity) setAnswers((a) => ({ ...a, [live.activity.id]: live.me.answer }));
      setStage('joined');
    } else if (hadToken) {
      rememberRemoved(code, client.authStore.token);
      client.authStore.clear();
      // Asked before `me` goes: the joined screen needs it until the stage changes.
      const banned = await isBanned(client, code);
      setMe(null);
      setStage(banned ? 'banned' : 'kicked');
    } else if (wasRemoved(code) && (await isBanned(client, code))) {
      setStage('banned');
    } else {
      // A join may have finished while this anonymous read was out, or
      // another read may have found the kick first.
      setStage((s) => (s === 'joined' || s === 'kicked' || s === 'banned' ? s : 'form'));
    }
  };

  useEffect(() => {
    if (pb) refresh(pb);
  }, [pb]);

  // Follow the live topic as long as the code is known; with the token
  // once joined (a subscribe with it is a sign of life).
  const following = pb && doc && stage !== 'unknown' && stage !== 'error' && stage !== 'banned';
  useEffect(() => {
    if (!following) return undefined;
    let stop = null;
    let cancelled = false;
    follow(pb, code, {
      fresh: stage === 'joined',
      onDoc: (d) => setDoc(d),
      onLink: (up) => {
        setOffline(!up);
        if (up && stage === 'joined') refresh();
        // A ban closes the participant's connection, and the reconnect is
        // refused: read `me` (after a random pause, as for a kick) rather
        // than wait for the next heartbeat.
        if (!up && stage === 'joined') setTimeout(() => refresh(), Math.random() * KICK_CHECK_SPREAD_MS);
      },
    })
      .then((u) => (cancelled ? u() : (stop = u)))
      .catch(() => setOffline(true));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [following, stage === 'joined']);

  // A poker reset deletes every answer of the round: when the count of the
  // same activity drops to 0, ours is gone too (no request needed). A kick
  // needs no reading here either: the server closes the kicked
  // participant's realtime connection, and the read after the reconnect
  // (onLink above) finds `me` gone; the other phones read nothing.
  useEffect(() => {
    const p = prev.current;
    prev.current = doc;
    const a = doc?.activity;
    if (p?.activity && a && p.activity.id === a.id && a.answered === 0 && p.activity.answered > 0) {
      setAnswers((x) => ({ ...x, [a.id]: null }));
    }
  }, [doc]);

  useEffect(() => {
    if (stage !== 'joined') return undefined;
    // A heartbeat refused for our token means the participant is gone.
    const beat = () =>
      document.visibilityState === 'visible' &&
      heartbeat(pb).catch((err) => (err.status === 401 || err.status === 403 ? refresh() : undefined));
    const id = setInterval(beat, HEARTBEAT_MS);
    document.addEventListener('visibilitychange', beat);
    return () => {
      clearInterval(id);
      document.removeEventListener('visibilitychange', beat);
    };
  }, [stage, pb]);

  const chooseCode = (next) => {
    if (next === code && pb) return pb;
    const client = connect(next);
    setCode(next);
    setPb(client);
    setDoc(null);
    return client;
  };

  const onJoined = (res) => {
    history.replaceState(null, '', `/join/${res.session.code}`);
    setMe({ id: res.record.id, nickname: res.record.nickname, answer: null });
    setAnswers({});
    setStage('joined');
  };

  let screen;
  switch (stage) {
    case 'loading':
      screen = html`<${Screen} id="loading" title=${t.loading} />`;
      break;
    case 'unknown':
      screen = html`<${Screen} id="unknown" title=${t.unknownTitle}>
        <p>${t.unknownBody}</p>
        <a class="button secondary" href="/join">${t.enterAnotherCode}</a>
      </${Screen}>`;
      break;
    case 'error':
      screen = html`<${Screen} id="error" title=${t.networkError}>
        <button type="button" onClick=${() => refresh()}>${t.tryAgain}</button>
      </${Screen}>`;
      break;
    case 'kicked':
      screen = html`<${Screen} id="kicked" title=${t.kickedTitle}>
        <p>${t.kickedBody}</p>
        <button type="button" onClick=${() => setStage('form')}>${t.joinAgain}</button>
      </${Screen}>`;
      break;
    case 'banned':
      // The kicked screen without the way back: the server refuses this
      // phone's joins to the session.
      screen = html`<${Screen} id="banned" title=${t.kickedTitle}>
        <p>${t.bannedBody}</p>
      </${Screen}>`;
      break;
    case 'joined':
      screen = doc ? html`<${Joined} pb=${pb} doc=${doc} me=${me} answers=${answers} setAnswers=${setAnswers} />` : null;
      break;
    default:
      if (doc?.session.status === 'draft') {
        screen = html`<${Screen} id="draft" title=${t.notStartedTitle}><p>${t.notStartedBody}</p></${Screen}>`;
      } else if (doc?.session.status === 'completed') {
        screen = html`<${Screen} id="ended" title=${t.endedTitle}><p>${t.endedBody}</p></${Screen}>`;
      } else {
        screen = html`<${JoinForm} code=${code} pb=${pb} doc=${doc} chooseCode=${chooseCode} onJoined=${onJoined} />`;
      }
  }
  // A banned phone follows nothing: no connection to report lost.
  return html`<${Banner} offline=${offline && stage !== 'banned'} /><main id="main">${screen}</main>`;
}

/**
 * Screen is one step with its heading. When the step changes, focus moves
 * to the heading so a screen reader announces where the participant is.
 */
function Screen({ id, title, children, sub }) {
  const ref = useRef(null);
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement?.closest?.('[data-screen]') == null) {
      ref.current?.focus({ preventScroll: true });
    }
    document.title = `${title} · ${t.appName}`;
  }, [id]);
  return html`<section class="screen" data-screen=${id} aria-labelledby="screen-title">
    ${sub ? html`<p class="eyebrow">${sub}</p>` : null}
    <h1 id="screen-title" tabindex="-1" ref=${ref}>${title}</h1>
    ${children}
  </section>`;
}

/** JoinForm asks for the code and a nickname, and checks the nickname as it is typed. */
function JoinForm({ code: initialCode, pb, doc, chooseCode, onJoined }) {
  const [code, setCode] = useState(initialCode);
  const [nickname, setNickname] = useState('');
  const [errors, setErrors] = useState({});
  const [check, setCheck] = useState(null); // {state: 'checking'|'free'|'taken', suggestion}
  const [busy, setBusy] = useState(false);
  const summary = useRef(null);
  const clean = cleanCode(code);

  useEffect(() => {
    const name = nickname.trim();
    if (!validCode(clean) || !name) return setCheck(null);
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      setCheck({ state: 'checking' });
      try {
        const res = await checkNickname(pb && cleanCode(initialCode) === clean ? pb : connect(clean), clean, name, ctl.signal);
        setCheck(res.available ? { state: 'free', nickname: res.nickname } : { state: 'taken', suggestion: res.suggestion });
      } catch (err) {
        const e = explain(err);
        setCheck(null);
        if (e?.field === 'code' || e?.field === 'nickname') setErrors((x) => ({ ...x, [e.field]: e.message }));
      }
    }, 300);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [clean, nickname]);

  const submit = async (ev) => {
    ev.preventDefault();
    const found = {};
    if (!clean) found.code = t.errors.code_required;
    else if (!validCode(clean)) found.code = t.errors.code_invalid;
    if (!nickname.trim()) found.nickname = t.errors.nickname_length;
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setBusy(true);
    const client = chooseCode(clean);
    try {
      onJoined(await join(client, clean, nickname));
    } catch (err) {
      const e = explain(err);
      const field = e.field === 'nickname' || e.field === 'code' ? e.field : null;
      if (e.code === 'nickname_taken') setCheck({ state: 'taken', suggestion: e.suggestion });
      setErrors(field ? { [field]: e.message } : { form: e.message });
      setBusy(false);
      requestAnimationFrame(() => summary.current?.focus());
    }
  };

  const list = Object.entries(errors).filter(([, m]) => m);
  const fieldProps = (name) => ({
    id: name,
    name,
    'aria-invalid': errors[name] ? 'true' : undefined,
    'aria-describedby': `${name}-hint${errors[name] ? ` ${name}-error` : ''}`,
  });
  const useSuggestion = (s) => {
    setNickname(s);
    setErrors((x) => ({ ...x, nickname: undefined }));
  };

  return html`<${Screen} id="join" title=${t.joinTitle}>
    ${list.length
      ? html`<div class="error-summary" role="alert" tabindex="-1" ref=${summary}>
          <h2>${t.errorSummary}</h2>
          <ul>${list.map(([f, m]) => html`<li key=${f}>${f === 'form' ? m : html`<a href=${`#${f}`}>${m}</a>`}</li>`)}</ul>
        </div>`
      : null}
    <p>${doc && cleanCode(initialCode) === clean ? t.joiningSession(doc.session.title) : t.joinIntro}</p>
    <form onSubmit=${submit} novalidate>
      <div class=${errors.code ? 'field invalid' : 'field'}>
        <label for="code">${t.codeLabel}</label>
        <p class="hint" id="code-hint">${t.codeHint}</p>
        ${errors.code ? html`<p class="error" id="code-error">${errors.code}</p>` : null}
        <input ...${fieldProps('code')} class="code" value=${code} maxlength="8" autocomplete="off"
          autocapitalize="characters" spellcheck="false" inputmode="text"
          onInput=${(e) => {
            setCode(e.currentTarget.value);
            setErrors((x) => ({ ...x, code: undefined }));
          }} />
      </div>
      <div class=${errors.nickname ? 'field invalid' : 'field'}>
        <label for="nickname">${t.nicknameLabel}</label>
        <p class="hint" id="nickname-hint">${t.nicknameHint}</p>
        ${errors.nickname ? html`<p class="error" id="nickname-error">${errors.nickname}</p>` : null}
        <input ...${fieldProps('nickname')} value=${nickname} maxlength="24" autocomplete="nickname" enterkeyhint="go"
          onInput=${(e) => {
            setNickname(e.currentTarget.value);
            setErrors((x) => ({ ...x, nickname: undefined }));
          }} />
        <div class="availability" role="status" aria-label=${t.availability}>
          ${check?.state === 'checking' ? t.checking : null}
          ${check?.state === 'free' ? html`<span class="ok">✓ ${t.nicknameFree(check.nickname)}</span>` : null}
          ${check?.state === 'taken' ? html`<span class="warn">${t.nicknameTaken(check.suggestion)}</span>` : null}
        </div>
        ${check?.state === 'taken' && check.suggestion
          ? html`<button type="button" class="secondary" onClick=${() => useSuggestion(check.suggestion)}>
              ${t.useSuggestion(check.suggestion)}
            </button>`
          : null}
      </div>
      <button type="submit" disabled=${busy} aria-busy=${busy ? 'true' : undefined}>${busy ? t.joining : t.joinButton}</button>
    </form>
  </${Screen}>`;
}

/** Joined is everything after the join, drawn from the live document. */
function Joined({ pb, doc, me, answers, setAnswers }) {
  const [editing, setEditing] = useState(null); // id of the activity whose answer is being changed
  const a = doc.activity;
  const mine = a ? answers[a.id] ?? null : null;
  const board = doc.leaderboard;
  const standing = useStanding(pb, doc, me.id);
  const rankLine = board
    ? html`<p class="rank-line">${standing ? t.yourRank(standing.rank, standing.score) : t.notInTop}</p>`
    : null;

  if (doc.session.status === 'completed') {
    return html`<${Screen} id="ended" title=${t.endedTitle}>
      <p>${t.endedBody}</p>
      ${board ? html`${rankLine}<${Leaderboard} entries=${board} meId=${me.id} final />` : null}
    </${Screen}>`;
  }
  if (!a) {
    return html`<${Screen} id="waiting" title=${doc.session.title}>
      <p>${t.waitingBody}</p>
      <p>${t.joinedAs(me.nickname)}</p>
      <p class="muted">${t.joinedCount(doc.participants.count)}</p>
    </${Screen}>`;
  }
  const sub = t.questionOf(a.position, a.of);
  const sent = (value) => {
    setAnswers((x) => ({ ...x, [a.id]: value }));
    setEditing(null);
  };

  if (a.type === 'qa') {
    return html`<${Screen} id=${`qa-${a.id}`} title=${a.title} sub=${sub}>
      <${QA} key=${a.id} pb=${pb} doc=${doc} me=${me} />
    </${Screen}>`;
  }
  if (a.status === 'active' && (mine == null || editing === a.id)) {
    return html`<${Screen} id=${`answer-${a.id}`} title=${a.title} sub=${sub}>
      <${ActivityForm} key=${a.id} activity=${a} previous=${mine}
        send=${async (value) => sent((await answer(pb, a.id, value)).value)} />
    </${Screen}>`;
  }
  if (a.type === 'quiz' && a.revealed) {
    return html`<${Screen} id=${`outcome-${a.id}`} title=${mine == null ? t.closedNoAnswer : a.correct.includes(mine.choice) ? t.youWereRight : t.youWereWrong} sub=${sub}>
      <p class="question">${a.title}</p>
      <p>${t.theAnswerWas(a.correct.map((i) => `“${a.options[i]}”`).join(', '))}</p>
      ${mine != null ? html`<${QuizPoints} pb=${pb} activityId=${a.id} />` : null}
      ${rankLine}
      <${Results} activity=${a} results=${doc.results} mine=${mine} />
      ${board ? html`<${Leaderboard} entries=${board} meId=${me.id} />` : null}
    </${Screen}>`;
  }
  if (a.status === 'active') {
    const changeable = a.type !== 'quiz';
    return html`<${Screen} id=${`sent-${a.id}`} title=${t.sentTitle} sub=${sub}>
      <p class="question">${a.title}</p>
      <p><span class="muted">${t.yourAnswer}: </span><strong>${formatAnswer(a, mine)}</strong></p>
      <p>${changeable ? t.sentChangeable : t.sentFinal}</p>
      ${changeable ? html`<button type="button" class="secondary" onClick=${() => setEditing(a.id)}>${t.changeAnswer}</button>` : null}
      <${Results} activity=${a} results=${doc.results} mine=${mine} />
    </${Screen}>`;
  }
  return html`<${Screen} id=${`closed-${a.id}`} title=${t.closedTitle} sub=${sub}>
    <p class="question">${a.title}</p>
    <p>${mine == null ? t.closedNoAnswer : html`<span class="muted">${t.yourAnswer}: </span><strong>${formatAnswer(a, mine)}</strong>`}</p>
    ${doc.results && (a.type !== 'poker' || a.revealed) ? html`<${Results} activity=${a} results=${doc.results} mine=${mine} />` : html`<p class="muted">${t.waitForHost}</p>`}
  </${Screen}>`;
}

/**
 * useStanding is the participant's place on the leaderboard the document
 * shows: from the board itself when they are in its top 10, else from
 * `me.standing` of the live state, read once per board (the topic carries
 * the top only) after a random pause, so that a hall of phones does not
 * ask at once. Null until known.
 */
function useStanding(pb, doc, meId) {
  const board = doc.leaderboard;
  const inTop = board ? board.findIndex((e) => e.participant === meId) : -1;
  const key = board && inTop < 0 ? `${doc.session.status}|${doc.activity?.id}|${doc.activity?.revealed}` : null;
  const [read, setRead] = useState(null); // {key, standing}
  useEffect(() => {
    if (!key) return undefined;
    const id = setTimeout(() => {
      getLive(pb, doc.session.code)
        .then((live) => live.me?.standing && setRead({ key, standing: live.me.standing }))
        .catch(() => {});
    }, Math.random() * STANDING_SPREAD_MS);
    return () => clearTimeout(id);
  }, [key]);
  if (inTop >= 0) return { rank: inTop + 1, score: board[inTop].score };
  return read?.key === key ? read.standing : null;
}

/** QuizPoints shows the participant's points on a revealed quiz (their own response's score). */
function QuizPoints({ pb, activityId }) {
  const [score, setScore] = useState(null);
  useEffect(() => {
    myResponse(pb, activityId)
      .then((r) => setScore(r ? r.score || 0 : null))
      .catch(() => setScore(null));
  }, [activityId]);
  return score == null ? null : html`<p class="points">${t.yourPoints(score)}</p>`;
}

render(html`<${App} />`, document.getElementById('app'));
