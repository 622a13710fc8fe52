// The Q&A on the phone: ask a question, see the public ones (from the live
// document), upvote or withdraw an upvote, withdraw one's own question, and
// see one's own questions that wait for the host's approval. Questions and
// upvotes are records of the generated REST API (docs/API.md, "Q&A").
import { useEffect, useRef, useState } from 'preact/hooks';
import { explain } from './api.js';
import { errorText, t } from './i18n.js';
import { QuestionList, html } from './ui.js';

// How long after a live change an author with questions waiting reads
// them again, spread so that a room of authors does not ask at once.
const RECHECK_MS = 1500;

/** QA is a Q&A activity on the phone; doc is the live document. */
export function QA({ pb, doc, me }) {
  const a = doc.activity;
  const open = a.status === 'active';
  const publicList = doc.results?.questions || [];
  const [mine, setMine] = useState([]); // my questions: {id, text, status}
  const [votes, setVotes] = useState({}); // question id → my vote's id
  const [error, setError] = useState(null);
  const [note, setNote] = useState(null);

  const load = async () => {
    const [qs, vs] = await Promise.all([
      pb.collection('questions').getFullList({ filter: pb.filter('activity = {:a}', { a: a.id }), requestKey: null }),
      pb.collection('question_votes').getFullList({ filter: pb.filter('question.activity = {:a}', { a: a.id }), requestKey: null }),
    ]);
    setMine(qs.filter((q) => q.participant === me.id));
    setVotes(Object.fromEntries(vs.map((v) => [v.question, v.id])));
  };
  useEffect(() => {
    load().catch(() => {});
  }, [a.id]);

  // A question of mine that waits may have been approved or hidden: read
  // mine again after a live change, only while one waits.
  // One the live document shows is public already, whatever we last read.
  const publicIds = publicList.map((q) => q.id).join(',');
  const waiting = mine.filter((q) => q.status === 'pending' && !publicList.some((p) => p.id === q.id));
  useEffect(() => {
    if (!waiting.length) return undefined;
    const id = setTimeout(() => load().catch(() => {}), RECHECK_MS + Math.random() * RECHECK_MS);
    return () => clearTimeout(id);
  }, [publicIds, doc.version]);

  const run = async (fn) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      const e = explain(err);
      if (e) setError(e.code === 'question_limit' ? errorText('question_limit', a.max_questions) : e.code === 'text_too_long' ? errorText('text_too_long', a.max_length) : e.message);
    }
  };

  const ask = (text) =>
    run(async () => {
      const q = await pb.collection('questions').create({ activity: a.id, participant: me.id, text });
      setMine((m) => [...m, q]);
      setNote(q.status === 'pending' ? t.askedWaiting : t.askedThanks);
    });
  const toggleVote = (q) =>
    run(async () => {
      if (votes[q.id]) {
        await pb.collection('question_votes').delete(votes[q.id]);
        setVotes(({ [q.id]: _, ...rest }) => rest);
      } else {
        const v = await pb.collection('question_votes').create({ question: q.id, participant: me.id });
        setVotes((x) => ({ ...x, [q.id]: v.id }));
      }
    });
  const withdraw = (q) =>
    run(async () => {
      await pb.collection('questions').delete(q.id);
      setMine((m) => m.filter((x) => x.id !== q.id));
      setNote(null);
    });

  const mineIds = mine.map((q) => q.id);
  const actions = (q) => {
    if (!open) return null;
    if (mineIds.includes(q.id)) {
      return html`<button type="button" class="secondary small" aria-label=${t.withdrawQuestion(q.text)} onClick=${() => withdraw(q)}>${t.withdrawShort}</button>`;
    }
    if (q.status !== 'visible') return null;
    const on = Boolean(votes[q.id]);
    return html`<button type="button" class=${on ? 'small upvote on' : 'small upvote'} aria-label=${t.upvote(q.text)}
      aria-pressed=${on ? 'true' : 'false'} onClick=${() => toggleVote(q)}>▲ ${on ? t.upvoted : t.upvoteShort}</button>`;
  };

  return html`<div class="qa">
    ${open
      ? html`<p class="hint">${t.qaHint(a.anonymous)}</p>
          <${AskForm} key=${a.id} max=${a.max_length} asked=${mine.length} limit=${a.max_questions} ask=${ask} />`
      : html`<p class="muted">${t.qaClosed}</p>`}
    ${note && (note !== t.askedWaiting || waiting.length) ? html`<p class="ok-note" role="status">${note}</p>` : null}
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${waiting.length
      ? html`<section aria-labelledby="waiting-title">
          <h2 id="waiting-title">${t.myWaiting}</h2>
          <ul class="questions waiting">
            ${waiting.map(
              (q) => html`<li key=${q.id} class="question-item">
                <span class="question-body">
                  <span class="question-text">${q.text}</span>
                  <span class="question-meta"><span class="tag mine-tag">${t.waitingApproval}</span></span>
                </span>
                ${open
                  ? html`<button type="button" class="secondary small" aria-label=${t.withdrawQuestion(q.text)} onClick=${() => withdraw(q)}>${t.withdrawShort}</button>`
                  : null}
              </li>`,
            )}
          </ul>
        </section>`
      : null}
    <h2>${t.questionsLabel}</h2>
    <${QuestionList} questions=${publicList} actions=${actions} mineIds=${mineIds} />
  </div>`;
}

/** AskForm is the question box with its character count. */
function AskForm({ max, asked, limit, ask }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const ref = useRef(null);
  const full = asked >= limit;
  const submit = async (e) => {
    e.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    await ask(text);
    setBusy(false);
    setText('');
    ref.current?.focus();
  };
  return html`<form class="ask-form" onSubmit=${submit}>
    <div class="field">
      <label for="question-text">${t.yourQuestionLabel}</label>
      <p class="hint" id="question-hint">${t.questionHint(max)} ${t.askedCount(asked, limit)}</p>
      <textarea id="question-text" ref=${ref} rows="3" maxlength=${max} value=${text} disabled=${busy || full}
        aria-describedby="question-hint question-left" onInput=${(e) => setText(e.currentTarget.value)}></textarea>
      <p class="muted" id="question-left" aria-live="polite">${t.charsLeft(max - [...text].length)}</p>
    </div>
    <button type="submit" disabled=${busy || full || !text.trim()}>${busy ? t.asking : t.ask}</button>
  </form>`;
}
