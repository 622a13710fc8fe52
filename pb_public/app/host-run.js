// The run view, #/s/ID/run: the current activity as the big screen shows
// it plus what only the host sees (the quiz's answer, poker votes before
// the reveal, who answered), the controls, the next activity with its
// notes, and the participants. The live topic says when something
// changed; the records then say what. Every control names the exact
// change it wants (this activity active, this one revealed), so a double
// click or a second console never skips an activity: the server's state
// decides, and the view shows it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { follow, getLive } from './api.js';
import { activitiesOf, ban, download, fieldErrors, ownerResults, questionsOf, resetRound } from './host-api.js';
import { Confirm, ErrorText, Status } from './host-forms.js';
import { host as h, num, t } from './i18n.js';
import { Banner, Results, html } from './ui.js';

const REFRESH_MS = 300;
const PRESENCE_MS = 10000;

/** currentOf is the active activity, else the one the live document shows (the last that ran). */
function currentOf(acts, doc) {
  return acts.find((a) => a.status === 'active') || (doc?.activity ? acts.find((a) => a.id === doc.activity.id) : null) || null;
}

/** nextOf is the draft the next step activates: the first after the current one's position, as advance would pick. */
function nextOf(acts, currentId) {
  const cur = acts.find((a) => a.id === currentId);
  const after = cur ? cur.position : 0;
  return acts.find((a) => a.status === 'draft' && a.position > after) || null;
}

export function Run({ pb, id }) {
  const [session, setSession] = useState(null);
  const [acts, setActs] = useState([]);
  const [doc, setDoc] = useState(null);
  const [people, setPeople] = useState([]);
  const [answers, setAnswers] = useState([]);
  const [results, setResults] = useState(null);
  const [questions, setQuestions] = useState([]);
  const [confirmBan, setConfirmBan] = useState(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState('');
  const [offline, setOffline] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const docRef = useRef(null);
  docRef.current = doc;

  // refresh reads the records behind the live document: the session, its
  // activities, the participants, and the current activity's answers and
  // results as the owner sees them. The records decide what is current (the
  // active activity, else the one the live document shows as last). A
  // refresh that a newer one overtook is dropped, so an old answer never
  // paints over a newer state.
  const generation = useRef(0);
  const peopleCount = useRef(-1);
  const peopleAt = useRef(0);
  const refresh = async () => {
    const mine = ++generation.current;
    const filter = pb.filter('session = {:s}', { s: id });
    // The participants (a whole hall, perhaps) only when their number
    // changed, or for their presence every few seconds.
    const withPeople = !docRef.current || peopleCount.current !== docRef.current.participants.count || Date.now() - peopleAt.current > PRESENCE_MS - 1000;
    const [s, list, ps] = await Promise.all([
      pb.collection('sessions').getOne(id),
      activitiesOf(pb, id),
      withPeople ? pb.collection('participants').getFullList({ filter, sort: 'nickname' }) : null,
    ]);
    const cur = currentOf(list, docRef.current);
    let rs = [];
    let res = null;
    let qs = [];
    if (cur) {
      [rs, res, qs] = await Promise.all([
        cur.type === 'qa' ? [] : pb.collection('responses').getFullList({ filter: pb.filter('activity = {:a}', { a: cur.id }), expand: 'participant', sort: 'created' }),
        ownerResults(pb, cur.id),
        cur.type === 'qa' ? questionsOf(pb, cur.id) : [],
      ]);
    }
    if (mine !== generation.current) return s;
    setSession(s);
    setActs(list);
    if (ps) {
      setPeople(ps);
      // The live count leaves banned participants out.
      peopleCount.current = ps.filter((p) => !p.banned).length;
      peopleAt.current = Date.now();
    }
    setAnswers(rs);
    setResults(res);
    setQuestions(qs);
    return s;
  };

  // One refresh at a time, and one more after it when changes came in
  // meanwhile.
  const pending = useRef({ running: false, again: false, timer: null });
  const schedule = () => {
    const p = pending.current;
    if (p.running) {
      p.again = true;
      return;
    }
    clearTimeout(p.timer);
    p.timer = setTimeout(async () => {
      p.running = true;
      try {
        await refresh();
      } catch (err) {
        setErrors(fieldErrors(err));
      }
      p.running = false;
      if (p.again) {
        p.again = false;
        schedule();
      }
    }, REFRESH_MS);
  };

  useEffect(() => {
    let stop = null;
    let cancelled = false;
    refresh()
      .then(async (s) => {
        const d = await getLive(pb, s.code);
        setDoc((old) => (old && old.version >= d.version ? old : d));
        schedule();
        return follow(pb, s.code, {
          onDoc: (d2) => {
            setDoc(d2);
            schedule();
          },
          onLink: (up) => {
            setOffline(!up);
            if (up) schedule();
          },
        });
      })
      .then(async (u) => {
        // The live topic carries the public questions only: a new pending
        // one reaches the host through the record events (the owner may
        // read every question), and a vote through its own record (the
        // count itself is a raw update that sends no question event).
        // Without them the view still follows, by the live topic and the
        // presence poll: a refused subscription is no reason to stop.
        const offs = await Promise.all(
          ['questions', 'question_votes'].map((c) =>
            pb
              .collection(c)
              .subscribe('*', schedule)
              .catch(() => async () => {}),
          ),
        );
        return () => {
          u();
          offs.forEach((off) => off().catch(() => {}));
        };
      })
      .then((u) => (cancelled ? u() : (stop = u)))
      .catch((err) => setErrors(fieldErrors(err)));
    const presence = setInterval(schedule, PRESENCE_MS);
    return () => {
      cancelled = true;
      clearInterval(presence);
      clearTimeout(pending.current.timer);
      stop?.();
    };
  }, [id]);

  useEffect(() => {
    if (session) document.title = `${h.runTitle(session.title)} · ${t.appName}`;
  }, [session?.title]);

  const current = currentOf(acts, doc);
  const next = nextOf(acts, current?.id);
  const status = session?.status;
  const live = current && current.status === 'active';

  // act runs one change; while it is out every control is disabled. A
  // refusal because the session moved on (another console, a double
  // click that got through) is not an error: the view catches up.
  const inFlight = useRef(false);
  const act = async (fn) => {
    // A ref, not the state: a second click can come before the re-render
    // that disables the buttons.
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setErrors({});
    try {
      await fn();
    } catch (err) {
      const e = fieldErrors(err);
      const stale = ['invalid_transition', 'activity_conflict', 'session_completed', 'session_not_active'].includes(
        err.response?.data?.status?.code || err.response?.data?.session?.code,
      );
      if (stale) setMessage(h.stale);
      else setErrors(e);
    } finally {
      try {
        await refresh();
      } catch {
        // the live topic will bring the next state
      }
      inFlight.current = false;
      setBusy(false);
    }
  };

  const can = {
    start: status === 'draft',
    next: status === 'active' && (next || live),
    reveal: status !== 'completed' && current && !current.revealed,
    reset: status !== 'completed' && current && current.type === 'poker',
    end: status === 'active',
  };
  const actions = {
    start: () => act(() => pb.collection('sessions').update(id, { status: 'active' })),
    next: () =>
      act(() =>
        next
          ? pb.collection('activities').update(next.id, { status: 'active' })
          : pb.collection('activities').update(current.id, { status: 'expired' }),
      ),
    reveal: () => act(() => pb.collection('activities').update(current.id, { revealed: true })),
    reset: () => act(() => resetRound(pb, current.id)),
  };

  // Shortcuts: → next, R reveal; never while typing or with a modifier.
  const keys = useRef(null);
  keys.current = (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest?.('input, textarea, select, dialog')) return;
    if (e.key === 'ArrowRight' && can.next && !busy) {
      e.preventDefault();
      actions.next();
    } else if ((e.key === 'r' || e.key === 'R') && can.reveal && !busy) {
      e.preventDefault();
      actions.reveal();
    }
  };
  useEffect(() => {
    const on = (e) => keys.current(e);
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, []);

  if (!session) return html`<p>${errors._ ? html`<${ErrorText} text=${errors._} />` : t.loading}</p>`;

  return html`<${Banner} offline=${offline} />
    <div class="run">
      <header class="run-head">
        <div>
          <p><a href=${`#/s/${id}`}>← ${h.edit_}</a></p>
          <h1>${session.title}</h1>
          <p class="muted">${h.status[session.status]}</p>
        </div>
        <div class="join-box">
          <p class="join-label">${h.code}</p>
          <p class="join-code" aria-label=${`${h.code} ${session.code.split('').join(' ')}`}>${session.code}</p>
          <button type="button" class="secondary small" onClick=${() => window.open(`/screen/${session.code}`, `conflicto-screen-${session.code}`)}>
            ${h.openScreen}
          </button>
        </div>
        <img class="qr small-qr" src=${`/api/live/${session.code}/qr.svg`} alt=${h.qrAlt(session.code)} />
      </header>

      <div class="controls" role="group" aria-label=${h.controls} aria-busy=${busy ? 'true' : 'false'}>
        ${can.start
          ? html`<button type="button" disabled=${busy} onClick=${actions.start}>${h.start}</button>`
          : html`<button type="button" disabled=${busy || !can.next} onClick=${actions.next} aria-keyshortcuts="ArrowRight">${h.next}<span aria-hidden="true"> →</span></button>`}
        <button type="button" disabled=${busy || !can.reveal} onClick=${actions.reveal} aria-keyshortcuts="R">${h.reveal}</button>
        ${current?.type === 'poker' ? html`<button type="button" disabled=${busy || !can.reset} onClick=${actions.reset}>${h.resetVotes}</button>` : null}
        <button type="button" class="danger" disabled=${busy || !can.end} onClick=${() => setConfirmEnd(true)}>${h.end}</button>
        <button type="button" class="secondary" onClick=${() => act(() => download(pb, id, 'json'))}>${h.exportJSON}</button>
        <button type="button" class="secondary" onClick=${() => act(() => download(pb, id, 'csv'))}>${h.exportCSV}</button>
        <p class="hint">${busy ? h.busy : h.shortcuts}</p>
      </div>
      <${ErrorText} id="run-error" text=${Object.values(errors).join(' ')} />
      <${Status} text=${message} />

      <div class="run-body">
        <section class="run-current" aria-labelledby="current-title">
          <h2 id="current-title">${h.current}</h2>
          ${status === 'completed'
            ? html`<p class="lead">${h.ended}</p>`
            : status === 'draft'
              ? html`<p class="lead">${h.draftRun}</p>`
              : null}
          ${current
            ? current.type === 'qa'
              ? html`<${QA} activity=${current} of=${acts.length} questions=${questions.filter((q) => q.activity === current.id)}
                  people=${people} busy=${busy} done=${status === 'completed'}
                  onChange=${(q, change) => act(() => pb.collection('questions').update(q.id, change))} />`
              : html`<${Current} activity=${current} of=${acts.length} results=${results?.activity === current.id ? results : null}
                  answers=${answers.filter((r) => r.activity === current.id)} count=${people.filter((p) => !p.banned).length} />`
            : status === 'active'
              ? html`<p class="muted">${h.nothingYet}</p>`
              : null}
        </section>
        <aside class="run-side">
          <section aria-labelledby="next-title" class="card-box">
            <h2 id="next-title">${h.nextUp}</h2>
            ${next
              ? html`<p class="eyebrow">${h.typeLabel[next.type] || next.type}</p>
                  <p><strong>${next.title}</strong></p>
                  <h3>${h.notesOf}</h3>
                  <p class="notes">${next.notes || h.noNotes}</p>`
              : html`<p class="muted">${h.nextNone}</p>`}
          </section>
          <${People} pb=${pb} people=${people} onKick=${(p) =>
            act(async () => {
              await pb.collection('participants').delete(p.id);
              peopleAt.current = 0; // list them again now
              setMessage(h.kicked(p.nickname));
            })} onBan=${setConfirmBan} busy=${busy} />
        </aside>
      </div>
      ${confirmBan
        ? html`<${Confirm} title=${h.confirmBan(confirmBan.nickname)} body=${h.confirmBanBody} yes=${h.confirmBanYes}
            onNo=${() => setConfirmBan(null)}
            onYes=${() => {
              const p = confirmBan;
              setConfirmBan(null);
              act(async () => {
                await ban(pb, p.id);
                peopleAt.current = 0; // list them again now
                setMessage(h.banned(p.nickname));
              });
            }} />`
        : null}
      ${confirmEnd
        ? html`<${Confirm} title=${h.confirmEnd} body=${h.confirmEndBody} yes=${h.confirmEndYes} onNo=${() => setConfirmEnd(false)}
            onYes=${() => {
              setConfirmEnd(false);
              act(() => pb.collection('sessions').update(id, { status: 'completed' }));
            }} />`
        : null}
    </div>`;
}

/** Current is the current activity: the screen's view, then what only the host sees. */
function Current({ activity, of, results, answers, count }) {
  const type = activity.type;
  const cfg = activity.config || {};
  const names = answers.map((r) => r.expand?.participant?.nickname || '?');
  let shown = results;
  if (results && type === 'quiz' && !results.correct) shown = { ...results, correct: cfg.correct };
  return html`<div class="current">
    <p class="eyebrow">${t.questionOf(activity.position, of)} · ${h.typeLabel[type] || type} · ${h.stateName[activity.status]}${activity.revealed ? ` · ${h.revealedName}` : ''}</p>
    <h3 class="current-title">${activity.title}</h3>
    <p>${t.answered}: <strong>${t.answeredOf(answers.length, count)}</strong></p>
    ${type === 'poker' && !activity.revealed ? null : html`<${Results} activity=${{ ...activity, ...cfg }} results=${shown} />`}
    <section class="host-only" aria-labelledby="host-only-title">
      <h3 id="host-only-title">${h.hostOnly}</h3>
      ${type === 'quiz' && !activity.revealed && cfg.correct
        ? html`<p>${h.correctAnswer(cfg.correct.map((i) => cfg.options[i]).join(', '))}</p>`
        : null}
      ${type === 'poker'
        ? html`<ul class="vote-list" aria-label=${h.votesBefore}>
            ${answers.map((r, i) => html`<li key=${r.id} aria-label=${t.voteLabel(names[i], r.value?.card)}>${t.voteLabel(names[i], r.value?.card)}</li>`)}
          </ul>`
        : null}
      <h4 id="answered-by">${h.answeredBy(names.length)}</h4>
      ${names.length
        ? html`<ul class="name-list" aria-labelledby="answered-by">${names.map((n, i) => html`<li key=${answers[i].id} aria-label=${n}>${n}</li>`)}</ul>`
        : html`<p class="muted">${h.nobodyYet}</p>`}
      <h4>${h.notesOf}</h4>
      <p class="notes">${activity.notes || h.noNotes}</p>
    </section>
  </div>`;
}

function People({ people, onKick, onBan, busy }) {
  return html`<section aria-labelledby="people-title" class="card-box">
    <h2 id="people-title">${h.participants(num(people.length))}</h2>
    ${people.length
      ? html`<ul class="people" aria-labelledby="people-title">
          ${people.map(
            (p) => {
              const state = p.banned ? h.bannedName : h.presence[p.presence] || p.presence;
              return html`<li key=${p.id} class=${p.banned ? 'banned' : undefined} aria-label=${h.participant(p.nickname, state)}>
                <span class=${`dot ${p.banned ? 'banned' : p.presence}`} aria-hidden="true"></span>
                <span class="who" aria-hidden="true">${p.nickname}</span>
                <span class="muted presence" aria-hidden="true">${state}</span>
                ${p.banned
                  ? null
                  : html`<button type="button" class="secondary small danger" disabled=${busy} aria-label=${h.ban(p.nickname)} onClick=${() => onBan(p)}>
                      ${h.banShort}
                    </button>`}
                <button type="button" class="secondary small" disabled=${busy} aria-label=${h.kick(p.nickname)} onClick=${() => onKick(p)}>✕</button>
              </li>`;
            },
          )}
        </ul>`
      : html`<p class="muted">${h.noParticipants}</p>`}
  </section>`;
}

// order is the host's order of a Q&A's questions: waiting ones first
// (oldest first, as they came), then the public ones in the screen's
// order (pinned, votes, time), the hidden ones last.
const RANK = { pending: 0, visible: 1, answered: 1, hidden: 2 };
function order(a, b) {
  return (
    RANK[a.status] - RANK[b.status] ||
    (a.status === 'pending' ? 0 : Number(b.pinned) - Number(a.pinned) || b.votes - a.votes) ||
    a.created.localeCompare(b.created) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * QA is a running Q&A as the host moderates it: every question with its
 * author (named to the host even in an anonymous Q&A) and its upvotes,
 * and per state the changes the server allows: a waiting one is approved
 * or hidden, a public one pinned, marked answered or hidden, a hidden one
 * shown again. The text is never editable.
 */
function QA({ activity, of, questions, people, busy, done, onChange }) {
  const cfg = activity.config || {};
  const names = new Map(people.map((p) => [p.id, p.nickname]));
  const list = [...questions].sort(order);
  const button = (q, label, short, change, cls = 'secondary small') =>
    html`<button type="button" class=${cls} disabled=${busy || done} aria-label=${label(q.text)} onClick=${() => onChange(q, change)}>${short}</button>`;
  return html`<div class="current">
    <p class="eyebrow">${t.questionOf(activity.position, of)} · ${h.typeLabel.qa} · ${h.stateName[activity.status]}</p>
    <h3 class="current-title">${activity.title}</h3>
    ${cfg.anonymous ? html`<p class="hint">${h.qaAnonymousNote}</p>` : null}
    <h4 id="qa-questions">${h.qaQuestions(num(questions.length))}</h4>
    ${list.length
      ? html`<ul class="host-questions" aria-labelledby="qa-questions">
          ${list.map((q) => {
            const author = names.get(q.participant) || h.qaUnknown;
            return html`<li key=${q.id} class=${`host-question ${q.status}`}
              aria-label=${h.qaEntry(q.text, h.qaState[q.status], q.votes, q.pinned, author)}>
              <span class="votes" aria-hidden="true">${h.votesShort(q.votes)}</span>
              <div class="body" aria-hidden="true">
                <p class="text">${q.text}</p>
                <p class="muted">${[h.qaState[q.status], q.pinned ? h.qaPinned : '', h.qaAuthor(author)].filter(Boolean).join(' · ')}</p>
              </div>
              <div class="row-actions">
                ${q.status === 'pending' ? button(q, h.approve, h.approveShort, { status: 'visible' }, 'small') : null}
                ${q.status === 'visible' || q.status === 'answered'
                  ? button(q, q.pinned ? h.unpin : h.pin, q.pinned ? h.unpinShort : h.pinShort, { pinned: !q.pinned })
                  : null}
                ${q.status === 'visible' ? button(q, h.markAnswered, h.answeredShort, { status: 'answered' }) : null}
                ${q.status === 'hidden'
                  ? button(q, h.unhide, h.unhideShort, { status: 'visible' })
                  : button(q, h.hide, h.hideShort, { status: 'hidden' }, 'secondary small danger')}
              </div>
            </li>`;
          })}
        </ul>`
      : html`<p class="muted">${h.qaNone}</p>`}
    <section class="host-only" aria-labelledby="host-only-title">
      <h3 id="host-only-title">${h.hostOnly}</h3>
      <h4>${h.notesOf}</h4>
      <p class="notes">${activity.notes || h.noNotes}</p>
    </section>
  </div>`;
}
