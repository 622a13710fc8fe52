// The session editor, #/s/ID: title and description, export, and the
// activities as cards in order: add, edit, delete, and reorder by drag and
// drop or with the move buttons (POST /api/sessions/{id}/reorder).
import { useEffect, useState } from 'preact/hooks';
import { activitiesOf, download, duplicate, fieldErrors, reorder } from './host-api.js';
import { ActivityForm, Confirm, ErrorText, Status, TextField, go, types } from './host-forms.js';
import { host as h, t } from './i18n.js';
import { html } from './ui.js';

export function Editor({ pb, id }) {
  const [session, setSession] = useState(null);
  const [acts, setActs] = useState([]);
  const [details, setDetails] = useState({ title: '', description: '' });
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState(null); // {type, activity}
  const [confirm, setConfirm] = useState(null);
  const [dragging, setDragging] = useState(null);

  const load = async () => {
    const [s, list] = await Promise.all([pb.collection('sessions').getOne(id), activitiesOf(pb, id)]);
    setSession(s);
    setActs(list);
    return s;
  };
  useEffect(() => {
    load()
      .then((s) => setDetails({ title: s.title, description: s.description }))
      .catch((err) => setErrors(fieldErrors(err)));
  }, [id]);
  useEffect(() => {
    if (session) document.title = `${session.title} · ${t.appName}`;
  }, [session?.title]);

  const act = async (fn) => {
    setBusy(true);
    setErrors({});
    try {
      await fn();
    } catch (err) {
      setErrors(fieldErrors(err));
      await load().catch(() => {});
    } finally {
      setBusy(false);
    }
  };

  if (!session) return html`<p>${errors._ || errors.status ? html`<${ErrorText} text=${errors._ || t.serverError} />` : t.loading}</p>`;
  const done = session.status === 'completed';

  const move = (from, to) =>
    act(async () => {
      if (to < 0 || to >= acts.length || from === to) return;
      const ids = acts.map((a) => a.id);
      const [moved] = ids.splice(from, 1);
      ids.splice(to, 0, moved);
      const res = await reorder(pb, id, ids);
      setActs(res.activities);
      const a = res.activities[to];
      setMessage(h.moved(a.title, to + 1));
      // Keep the keyboard where the card went.
      requestAnimationFrame(() => document.getElementById(`card-${a.id}`)?.focus());
    });

  const saveDetails = (e) => {
    e.preventDefault();
    act(async () => {
      const s = await pb.collection('sessions').update(id, details);
      setSession(s);
      setDetails({ title: s.title, description: s.description });
      setMessage(h.saved);
    });
  };

  return html`<div class="editor wide">
    <p><a href="#/">← ${h.back}</a></p>
    <div class="editor-head">
      <h1>${session.title}</h1>
      <p class="muted">${h.code}: <strong class="code-text">${session.code}</strong> · ${h.status[session.status]}</p>
      <div class="row-actions">
        ${!done ? html`<a class="button small" href=${`#/s/${id}/run`}>${h.run}</a>` : null}
        <button type="button" class="secondary small" disabled=${busy} onClick=${() =>
          act(async () => {
            const copy = await duplicate(pb, id);
            go(`#/s/${copy.id}`);
          })}>${h.duplicate}</button>
        <button type="button" class="secondary small" onClick=${() => act(() => download(pb, id, 'json'))}>${h.exportJSON}</button>
        <button type="button" class="secondary small" onClick=${() => act(() => download(pb, id, 'csv'))}>${h.exportCSV}</button>
      </div>
    </div>
    <${ErrorText} id="editor-error" text=${errors._ || errors.status || errors.session || errors.activities} />
    <${Status} text=${message} />

    <form class="card-box" aria-labelledby="details-title" onSubmit=${saveDetails} novalidate>
      <h2 id="details-title">${h.sessionDetails}</h2>
      <${TextField} id="session-title" label=${h.sessionTitle} value=${details.title} error=${errors.title} disabled=${done}
        onInput=${(v) => setDetails((d) => ({ ...d, title: v }))} />
      <${TextField} id="session-description" label=${h.description} value=${details.description} error=${errors.description} area rows="2"
        disabled=${done} onInput=${(v) => setDetails((d) => ({ ...d, description: v }))} />
      <button type="submit" class="small" disabled=${busy || done}>${h.save}</button>
    </form>

    <section aria-labelledby="activities-title">
      <h2 id="activities-title">${h.activities}</h2>
      ${acts.length ? html`<p class="hint">${h.dragHint}</p>` : html`<p class="muted">${h.noActivities}</p>`}
      <ol class="activity-cards" aria-labelledby="activities-title">
        ${acts.map(
          (a, i) => html`<li key=${a.id} id=${`card-${a.id}`} tabindex="-1"
            class=${`activity-card${dragging === i ? ' dragging' : ''}`}
            aria-label=${h.activityItem(i + 1, h.typeLabel[a.type] || a.type, a.title)}
            draggable=${!done && !busy}
            onDragStart=${(e) => {
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', String(i));
              setDragging(i);
            }}
            onDragEnd=${() => setDragging(null)}
            onDragOver=${(e) => e.preventDefault()}
            onDrop=${(e) => {
              e.preventDefault();
              const from = Number(e.dataTransfer.getData('text/plain'));
              setDragging(null);
              if (!Number.isNaN(from)) move(from, i);
            }}>
            <span class="grip" aria-hidden="true">⠿</span>
            <div class="card-main">
              <span class="eyebrow">${i + 1} · ${h.typeLabel[a.type] || a.type} · ${h.stateName[a.status]}${a.revealed ? ` · ${h.revealedName}` : ''}</span>
              <strong>${a.title}</strong>
              ${a.notes ? html`<span class="muted notes-preview">${a.notes}</span>` : null}
            </div>
            <div class="row-actions">
              <button type="button" class="secondary small" disabled=${busy || done || i === 0} aria-label=${h.moveUp(a.title)}
                onClick=${() => move(i, i - 1)}>↑</button>
              <button type="button" class="secondary small" disabled=${busy || done || i === acts.length - 1} aria-label=${h.moveDown(a.title)}
                onClick=${() => move(i, i + 1)}>↓</button>
              <button type="button" class="secondary small" disabled=${busy || done || !types[a.type]} aria-label=${h.edit(a.title)}
                onClick=${() => setForm({ type: a.type, activity: a })}>${h.editShort}</button>
              <button type="button" class="secondary small danger" disabled=${busy || done || a.status === 'active'} aria-label=${h.deleteActivity(a.title)}
                onClick=${() => setConfirm(a)}>${h.delete}</button>
            </div>
          </li>`,
        )}
      </ol>
      ${!done && !form
        ? html`<div class="add-bar" role="group" aria-label=${h.addActivity}>
            ${Object.keys(types).map(
              (type) => html`<button type="button" class="secondary small" key=${type} onClick=${() => setForm({ type, activity: null })}>
                ${h.add(type)}
              </button>`,
            )}
          </div>`
        : null}
      ${form
        ? html`<${ActivityForm} key=${form.activity?.id || form.type} pb=${pb} session=${session} type=${form.type} activity=${form.activity}
            onCancel=${() => setForm(null)}
            onDone=${async (saved) => {
              setForm(null);
              setMessage(h.saved);
              await load();
              requestAnimationFrame(() => document.getElementById(`card-${saved.id}`)?.focus());
            }} />`
        : null}
    </section>
    ${confirm
      ? html`<${Confirm} title=${h.confirmDelete(confirm.title)} body="" yes=${h.delete} onNo=${() => setConfirm(null)}
          onYes=${() => {
            const a = confirm;
            setConfirm(null);
            act(async () => {
              await pb.collection('activities').delete(a.id);
              await load();
            });
          }} />`
      : null}
  </div>`;
}
