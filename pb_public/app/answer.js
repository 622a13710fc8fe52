// The answer controls of the four activity types, on the phone.
import { useEffect, useState } from 'preact/hooks';
import { explain, parseDate, serverNow } from './api.js';
import { t } from './i18n.js';
import { html } from './ui.js';

/** formatAnswer is the participant's answer in words. */
export function formatAnswer(a, v) {
  if (v == null) return '';
  switch (a.type) {
    case 'poll':
      return (v.choices || []).map((i) => a.options[i]).join(', ');
    case 'quiz':
      return a.options[v.choice] ?? '';
    case 'poker':
      return t.cardName(v.card);
    case 'wordcloud':
      return (v.words || []).join(', ');
    default:
      return JSON.stringify(v);
  }
}

/**
 * ActivityForm is the control of the activity's type. send(value) sends
 * the answer and resolves once the server took it; until then the control
 * says it is sending, and a refusal is shown in words.
 */
export function ActivityForm({ activity: a, previous, send }) {
  const [busy, setBusy] = useState(null); // what is being sent, for optimistic feedback
  const [error, setError] = useState(null);

  const submit = async (value) => {
    setBusy(value);
    setError(null);
    try {
      await send(value);
    } catch (err) {
      const e = explain(err);
      const n = e?.code === 'too_many_words' ? a.max_words : a.max_length;
      setError(e ? explain(err, n).message : null);
      setBusy(null);
    }
  };
  const props = { a, previous, busy, submit };
  let control;
  switch (a.type) {
    case 'poll':
      control = a.multiple && a.max_choices > 1 ? html`<${PollMultiple} ...${props} />` : html`<${Choices} ...${props} />`;
      break;
    case 'quiz':
      control = html`<${Quiz} ...${props} />`;
      break;
    case 'poker':
      control = html`<${Cards} ...${props} />`;
      break;
    case 'wordcloud':
      control = html`<${Words} ...${props} />`;
      break;
    default:
      control = null;
  }
  return html`${control}${error ? html`<p class="error" role="alert">${error}</p>` : null}`;
}

/** Choices: one tap on an option sends it (single-choice poll, quiz). */
function Choices({ a, previous, busy, submit, disabled = false, hint = t.chooseOne, toValue = (i) => ({ choices: [i] }) }) {
  const chosen = (i) => {
    const v = busy || previous;
    return v != null && (v.choices ? v.choices.includes(i) : v.choice === i);
  };
  return html`<div role="group" aria-label=${a.title} class="choices">
    <p class="hint">${hint}</p>
    ${a.options.map(
      (opt, i) => html`<button key=${i} type="button" class="choice" aria-pressed=${chosen(i) ? 'true' : 'false'}
        disabled=${disabled || busy != null} onClick=${() => submit(toValue(i))}>${opt}</button>`,
    )}
    ${busy != null ? html`<p class="muted" role="status">${t.sending}</p>` : null}
  </div>`;
}

/** PollMultiple: tick up to max_choices options, then send. */
function PollMultiple({ a, previous, busy, submit }) {
  const [sel, setSel] = useState(previous?.choices || []);
  const toggle = (i) => setSel((s) => (s.includes(i) ? s.filter((x) => x !== i) : [...s, i]));
  const full = sel.length >= a.max_choices;
  return html`<form class="choices" onSubmit=${(e) => {
    e.preventDefault();
    if (sel.length) submit({ choices: [...sel].sort((x, y) => x - y) });
  }}>
    <fieldset>
      <legend class="hint">${t.chooseUpTo(a.max_choices)}</legend>
      ${a.options.map((opt, i) => {
        const on = sel.includes(i);
        return html`<label key=${i} class=${on ? 'check on' : 'check'}>
          <input type="checkbox" checked=${on} disabled=${busy != null || (full && !on)} onChange=${() => toggle(i)} />
          <span>${opt}</span>
        </label>`;
      })}
    </fieldset>
    <p class="muted" aria-live="polite">${t.chosen(sel.length, a.max_choices)}</p>
    <button type="submit" disabled=${!sel.length || busy != null}>${busy != null ? t.sending : t.sendAnswer}</button>
  </form>`;
}

/** Cards: the poker deck; a tap votes. */
function Cards({ a, previous, busy, submit }) {
  const current = (busy || previous)?.card;
  return html`<div role="group" aria-label=${a.title} class="cards">
    <p class="hint">${t.pickCard}</p>
    <div class="deck">
      ${a.deck.map(
        (card) => html`<button key=${card} type="button" class="card" aria-label=${t.cardName(card)}
          aria-pressed=${current === card ? 'true' : 'false'} disabled=${busy != null}
          onClick=${() => submit({ card })}><span aria-hidden="true">${card}</span></button>`,
      )}
    </div>
    ${busy != null ? html`<p class="muted" role="status">${t.sending}</p>` : null}
  </div>`;
}

/** Quiz: the options under a countdown from the server's deadline. */
function Quiz(props) {
  const { a } = props;
  const left = useSecondsLeft(a.deadline, a.time_limit_s);
  return html`<${Countdown} left=${left} limit=${a.time_limit_s} />
    <${Choices} ...${props} hint=${t.quizPick} disabled=${left <= 0} toValue=${(i) => ({ choice: i })} />`;
}

/** QuizClock is a quiz's countdown on its own (the big screen's). */
export function QuizClock({ activity: a }) {
  return html`<${Countdown} left=${useSecondsLeft(a.deadline, a.time_limit_s)} limit=${a.time_limit_s} />`;
}

function useSecondsLeft(deadline, limit) {
  const end = parseDate(deadline);
  const compute = () => (Number.isNaN(end) ? limit : Math.max(0, Math.min(limit, Math.ceil((end - serverNow()) / 1000))));
  const [left, setLeft] = useState(compute);
  useEffect(() => {
    const id = setInterval(() => setLeft(compute()), 250);
    return () => clearInterval(id);
  }, [deadline]);
  return left;
}

/** Countdown is the deadline bar: a timer with the seconds in words. */
export function Countdown({ left, limit }) {
  return html`<div class="countdown">
    <div class="countdown-track" aria-hidden="true"><span style=${`--w:${(100 * left) / limit}%`}></span></div>
    <p role="timer" aria-label=${t.timeLeft} aria-live="off">${left > 0 ? t.seconds(left) : t.timeUp}</p>
  </div>`;
}

/** Words: up to max_words words for the word cloud. */
function Words({ a, previous, busy, submit }) {
  const [words, setWords] = useState(() => Array.from({ length: a.max_words }, (_, i) => previous?.words?.[i] || ''));
  const set = (i, v) => setWords((w) => w.map((x, j) => (j === i ? v : x)));
  const filled = words.map((w) => w.trim()).filter(Boolean);
  return html`<form class="words" onSubmit=${(e) => {
    e.preventDefault();
    if (filled.length) submit({ words: filled });
  }}>
    <p class="hint">${t.wordPrompt(a.max_words, a.max_length)}</p>
    ${words.map(
      (w, i) => html`<div class="field" key=${i}>
        <label for=${`word-${i}`}>${t.wordLabel(i + 1)}</label>
        <input id=${`word-${i}`} value=${w} maxlength=${a.max_length} autocomplete="off" enterkeyhint=${i === words.length - 1 ? 'send' : 'next'}
          disabled=${busy != null} onInput=${(e) => set(i, e.currentTarget.value)} />
      </div>`,
    )}
    <button type="submit" disabled=${!filled.length || busy != null}>${busy != null ? t.sending : t.sendAnswer}</button>
  </form>`;
}
