// The console's form pieces and the activity form: one entry per activity
// type in `types` (its fields, its config both ways, and which field a
// config error is about), so a new type is one more entry.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldErrors } from './host-api.js';
import { host as h } from './i18n.js';
import { html } from './ui.js';

/** go moves the console to another place (#/, #/s/ID, #/s/ID/run). */
export const go = (hash) => {
  location.hash = hash;
};

/** ErrorText is an error message, announced when it appears. */
export function ErrorText({ id, text }) {
  return text ? html`<p class="error" id=${id} role="alert">${text}</p>` : null;
}

/** Status is a polite announcement (saved, moved, kicked). */
export function Status({ text }) {
  return html`<p class="status-line" role="status">${text || ''}</p>`;
}

function described(id, hint, error) {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** TextField is a labelled input with its hint and the server's error next to it. */
export function TextField({ id, label, value, onInput, error, hint, type = 'text', area = false, disabled = false, ...rest }) {
  const common = {
    id,
    value,
    disabled,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': described(id, hint, error),
    onInput: (e) => onInput(e.currentTarget.value),
  };
  return html`<div class=${error ? 'field invalid' : 'field'}>
    <label for=${id}>${label}</label>
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${error ? html`<p class="error" id=${`${id}-error`}>${error}</p>` : null}
    ${area ? html`<textarea ...${common} ...${rest}></textarea>` : html`<input type=${type} ...${common} ...${rest} />`}
  </div>`;
}

/** Check is a labelled checkbox. */
export function Check({ id, label, checked, onChange, error, disabled = false }) {
  return html`<div class=${error ? 'field invalid' : 'field'}>
    ${error ? html`<p class="error" id=${`${id}-error`}>${error}</p>` : null}
    <label class="check-line" for=${id}>
      <input type="checkbox" id=${id} checked=${checked} disabled=${disabled}
        aria-describedby=${error ? `${id}-error` : undefined} onChange=${(e) => onChange(e.currentTarget.checked)} />
      ${label}
    </label>
  </div>`;
}

/** Confirm is a modal question: yes or no. */
export function Confirm({ title, body, yes, onYes, onNo }) {
  const ref = useRef(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return html`<dialog ref=${ref} class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-body"
    onCancel=${(e) => {
      e.preventDefault();
      onNo();
    }}>
    <h2 id="confirm-title">${title}</h2>
    <p id="confirm-body">${body}</p>
    <div class="row-actions">
      <button type="button" class="danger" onClick=${onYes}>${yes}</button>
      <button type="button" class="secondary" onClick=${onNo} autofocus>${h.cancel}</button>
    </div>
  </dialog>`;
}

// A number field is text, so that the server judges what was typed:
// a whole number is sent as one, anything else as typed (and refused
// with the field's message); empty leaves the type's default.
const num = (s) => {
  const v = String(s ?? '').trim();
  if (v === '') return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : v;
};
const str = (n) => (n == null ? '' : String(n));
const DEFAULT_DECK = ['0', '1', '2', '3', '5', '8', '13', '21', '?', '☕'];

/** OptionList edits a list of option texts (poll, quiz); marks adds a checkbox per option. */
function OptionList({ id, options, onChange, error, disabled, marks }) {
  const set = (i, v) => onChange(options.map((o, j) => (j === i ? v : o)));
  return html`<fieldset class=${error ? 'group invalid' : 'group'} aria-describedby=${error ? `${id}-error` : undefined}>
    <legend>${h.options}</legend>
    ${error ? html`<p class="error" id=${`${id}-error`}>${error}</p>` : null}
    ${options.map(
      (o, i) => html`<div class="option-row" key=${i}>
        <${TextField} id=${`${id}-${i}`} label=${h.option(i + 1)} value=${o} onInput=${(v) => set(i, v)} disabled=${disabled} />
        ${marks ? marks(i) : null}
        <button type="button" class="secondary small" disabled=${disabled} aria-label=${h.removeOption(i + 1)}
          onClick=${() => onChange(options.filter((_, j) => j !== i))}>✕</button>
      </div>`,
    )}
    <button type="button" class="secondary small" disabled=${disabled} onClick=${() => onChange([...options, ''])}>${h.addOption}</button>
  </fieldset>`;
}

function PollFields({ s, set, err, disabled }) {
  return html`
    <${OptionList} id="poll-options" options=${s.options} onChange=${set('options')} error=${err.options} disabled=${disabled} />
    <${Check} id="poll-multiple" label=${h.multiple} checked=${s.multiple} onChange=${set('multiple')} error=${err.multiple} disabled=${disabled} />
    <${TextField} id="poll-max" label=${h.maxChoices} value=${s.max_choices} onInput=${set('max_choices')} error=${err.max_choices}
      inputmode="numeric" disabled=${disabled} />
    <${Check} id="poll-live" label=${h.liveResults} checked=${s.live_results} onChange=${set('live_results')} error=${err.live_results} disabled=${disabled} />`;
}

function PokerFields({ s, set, err, disabled }) {
  return html`
    <${TextField} id="poker-deck" label=${h.deck} hint=${h.deckHint} value=${s.deck} onInput=${set('deck')} error=${err.deck} disabled=${disabled} />
    <button type="button" class="secondary small" disabled=${disabled} onClick=${() => set('deck')(DEFAULT_DECK.join(', '))}>${h.defaultDeck}</button>`;
}

function QuizFields({ s, set, err, disabled }) {
  const mark = (i) =>
    html`<${Check} id=${`quiz-correct-${i}`} label=${h.correct(i + 1)} checked=${s.correct.includes(i)} disabled=${disabled}
      onChange=${(on) => set('correct')(on ? [...s.correct, i].sort((a, b) => a - b) : s.correct.filter((j) => j !== i))} />`;
  return html`
    <${OptionList} id="quiz-options" options=${s.options} error=${err.options || err.correct} disabled=${disabled} marks=${mark}
      onChange=${(opts) => {
        set('options')(opts);
        set('correct')(s.correct.filter((i) => i < opts.length));
      }} />
    <${TextField} id="quiz-time" label=${h.timeLimit} value=${s.time_limit_s} onInput=${set('time_limit_s')} error=${err.time_limit_s}
      inputmode="numeric" disabled=${disabled} />
    <${TextField} id="quiz-points" label=${h.points} value=${s.points} onInput=${set('points')} error=${err.points}
      inputmode="numeric" disabled=${disabled} />`;
}

function WordcloudFields({ s, set, err, disabled }) {
  return html`
    <${TextField} id="wc-words" label=${h.maxWords} value=${s.max_words} onInput=${set('max_words')} error=${err.max_words}
      inputmode="numeric" disabled=${disabled} />
    <${TextField} id="wc-length" label=${h.maxLength} value=${s.max_length} onInput=${set('max_length')} error=${err.max_length}
      inputmode="numeric" disabled=${disabled} />
    <${TextField} id="wc-block" label=${h.blocklist} hint=${h.blocklistHint} value=${s.blocklist} onInput=${set('blocklist')}
      error=${err.blocklist} area rows="4" disabled=${disabled} />`;
}

function QaFields({ s, set, err, disabled }) {
  return html`
    <${Check} id="qa-moderated" label=${h.moderated} checked=${s.moderated} onChange=${set('moderated')} error=${err.moderated} disabled=${disabled} />
    <${TextField} id="qa-length" label=${h.questionLength} hint=${h.questionLengthHint} value=${s.max_length} onInput=${set('max_length')}
      error=${err.max_length} inputmode="numeric" disabled=${disabled} />
    <${Check} id="qa-anonymous" label=${h.anonymous} checked=${s.anonymous} onChange=${set('anonymous')} error=${err.anonymous} disabled=${disabled} />
    <${TextField} id="qa-max" label=${h.maxQuestions} hint=${h.maxQuestionsHint} value=${s.max_questions} onInput=${set('max_questions')}
      error=${err.max_questions} inputmode="numeric" disabled=${disabled} />`;
}

/**
 * types: per activity type, the form's fields, the form state from a
 * stored config (or the defaults) and back, and the config key a server
 * message is about (by the label the server's messages start with).
 */
export const types = {
  poll: {
    Fields: PollFields,
    state: (c = {}) => ({
      options: c.options || ['', ''],
      multiple: c.multiple ?? false,
      max_choices: str(c.max_choices ?? 1),
      live_results: c.live_results ?? true,
    }),
    config: (s) => ({ options: s.options, multiple: s.multiple, max_choices: num(s.max_choices), live_results: s.live_results }),
    keys: [['Max choices', 'max_choices'], ['Option', 'options'], ['Multiple', 'multiple'], ['Live results', 'live_results']],
  },
  poker: {
    Fields: PokerFields,
    state: (c = {}) => ({ deck: (c.deck || DEFAULT_DECK).join(', ') }),
    config: (s) => ({ deck: s.deck.split(',').map((x) => x.trim()) }),
    keys: [['Deck', 'deck'], ['Card', 'deck']],
  },
  quiz: {
    Fields: QuizFields,
    state: (c = {}) => ({
      options: c.options || ['', ''],
      correct: c.correct || [],
      time_limit_s: str(c.time_limit_s ?? 30),
      points: str(c.points ?? 1000),
    }),
    config: (s) => ({ options: s.options, correct: s.correct, time_limit_s: num(s.time_limit_s), points: num(s.points) }),
    keys: [['Option', 'options'], ['Correct', 'correct'], ['Time limit', 'time_limit_s'], ['Points', 'points']],
  },
  wordcloud: {
    Fields: WordcloudFields,
    state: (c = {}) => ({ max_words: str(c.max_words ?? 3), max_length: str(c.max_length ?? 25), blocklist: (c.blocklist || []).join('\n') }),
    config: (s) => ({
      max_words: num(s.max_words),
      max_length: num(s.max_length),
      blocklist: s.blocklist.split('\n').map((x) => x.trim()).filter(Boolean),
    }),
    keys: [['Max words', 'max_words'], ['Max length', 'max_length'], ['Blocklist', 'blocklist']],
  },
  qa: {
    Fields: QaFields,
    state: (c = {}) => ({
      moderated: c.moderated ?? false,
      max_length: str(c.max_length ?? 280),
      anonymous: c.anonymous ?? false,
      max_questions: str(c.max_questions ?? 5),
    }),
    config: (s) => ({ moderated: s.moderated, max_length: num(s.max_length), anonymous: s.anonymous, max_questions: num(s.max_questions) }),
    keys: [['Moderated', 'moderated'], ['Max length', 'max_length'], ['Anonymous', 'anonymous'], ['Max questions', 'max_questions']],
  },
};

/** configKey is the form field a server config message is about, or ''. */
function configKey(type, message) {
  const m = message.replace(/^Config:\s*/i, '');
  return types[type].keys.find(([label]) => m.startsWith(label))?.[1] || '';
}

/**
 * ActivityForm adds (activity null) or edits an activity of session. Every
 * config option is a field; the server checks it, and its errors appear
 * next to the field they are about. A config that has run is frozen: only
 * the question and the notes change then.
 */
export function ActivityForm({ pb, session, type, activity, onDone, onCancel }) {
  const spec = types[type];
  const frozen = Boolean(activity && activity.status !== 'draft');
  const [title, setTitle] = useState(activity?.title || '');
  const [notes, setNotes] = useState(activity?.notes || '');
  const [s, setS] = useState(() => spec.state(activity?.config || undefined));
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const heading = useRef(null);
  useEffect(() => heading.current?.focus(), []);
  const set = (k) => (v) => setS((old) => ({ ...old, [k]: v }));

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    const body = { title, notes };
    if (!frozen) body.config = spec.config(s);
    try {
      const saved = activity
        ? await pb.collection('activities').update(activity.id, body)
        : await pb.collection('activities').create({ ...body, session: session.id, type });
      onDone(saved);
    } catch (err) {
      const errs = fieldErrors(err);
      if (errs.config) {
        const key = configKey(type, errs.config);
        if (key) {
          errs[key] = errs.config;
          delete errs.config;
        }
      }
      setErrors(errs);
      setBusy(false);
    }
  };
  const other = Object.entries(errors)
    .filter(([k]) => !['title', 'notes', ...spec.keys.map(([, key]) => key)].includes(k))
    .map(([, v]) => v)
    .join(' ');
  const name = activity ? h.editActivity(type) : h.newActivity(type);
  return html`<form class="activity-form card-box" aria-labelledby="activity-form-title" onSubmit=${submit} novalidate>
    <h2 id="activity-form-title" tabindex="-1" ref=${heading}>${name}</h2>
    ${Object.keys(errors).length ? html`<p class="error" role="alert">${h.fixErrors} ${other}</p>` : null}
    <${TextField} id="activity-title" label=${h.question} value=${title} onInput=${setTitle} error=${errors.title} maxlength="300" />
    ${frozen ? html`<p class="hint">${h.frozen}</p>` : null}
    <${spec.Fields} s=${s} set=${set} err=${errors} disabled=${frozen} />
    <${TextField} id="activity-notes" label=${h.notes} hint=${h.notesHint} value=${notes} onInput=${setNotes} error=${errors.notes} area rows="3" />
    <div class="row-actions">
      <button type="submit" disabled=${busy}>${busy ? h.saving : h.saveActivity}</button>
      <button type="button" class="secondary" onClick=${onCancel}>${h.cancel}</button>
    </div>
  </form>`;
}
