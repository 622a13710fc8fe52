// The server as the host's console sees it: the host's SDK client, the
// owner-only routes and what a refused write says per field. The record
// API (sessions, activities, participants) is PocketBase's, through the SDK.
import PocketBase, { LocalAuthStore } from 'pocketbase';
import { t } from './i18n.js';

/** connectHost is the host's client; the token stays across reloads. */
export function connectHost() {
  const pb = new PocketBase(location.origin, new LocalAuthStore('conflicto.host'));
  pb.autoCancellation(false);
  return pb;
}

/**
 * signUpAllowed asks whether hosts may register: an empty create is
 * refused for want of fields (400) when the collection is open, for want
 * of rights (403) when it is not. Nothing is created either way.
 */
export async function signUpAllowed(pb) {
  try {
    await pb.send('/api/collections/users/records', { method: 'POST', body: {} });
    return true;
  } catch (err) {
    return err.status === 400;
  }
}

/** count is the number of records of collection matching filter. */
async function count(pb, collection, filter) {
  const res = await pb.collection(collection).getList(1, 1, { filter, fields: 'id' });
  return res.totalItems;
}

/** sessionsWithCounts lists the host's sessions, newest first, with their activity and participant counts. */
export async function sessionsWithCounts(pb) {
  const list = await pb.collection('sessions').getFullList({ sort: '-created' });
  return Promise.all(
    list.map(async (s) => {
      const f = pb.filter('session = {:s}', { s: s.id });
      const [activities, participants] = await Promise.all([count(pb, 'activities', f), count(pb, 'participants', f)]);
      return { ...s, activities, participants };
    }),
  );
}

/** activitiesOf lists a session's activities by position. */
export function activitiesOf(pb, sessionId) {
  return pb.collection('activities').getFullList({ filter: pb.filter('session = {:s}', { s: sessionId }), sort: 'position' });
}

export const duplicate = (pb, id) => pb.send(`/api/sessions/${id}/duplicate`, { method: 'POST' });
export const reorder = (pb, id, ids) => pb.send(`/api/sessions/${id}/reorder`, { method: 'POST', body: { activities: ids } });
export const resetRound = (pb, activityId) => pb.send(`/api/activities/${activityId}/reset`, { method: 'POST' });
export const ban = (pb, participantId) => pb.send(`/api/participants/${participantId}/ban`, { method: 'POST' });
export const ownerResults = (pb, activityId) => pb.send(`/api/activities/${activityId}/results`, {});

/**
 * questionsOf lists every question of a Q&A, whatever its status (the
 * owner may read them all, authors included), oldest first.
 */
export function questionsOf(pb, activityId) {
  return pb.collection('questions').getFullList({ filter: pb.filter('activity = {:a}', { a: activityId }), sort: 'created' });
}

/**
 * download fetches the session's export with the host's token and hands
 * it to the browser as a file: a link cannot carry the Authorization
 * header.
 */
export async function download(pb, sessionId, format) {
  const res = await fetch(`/api/sessions/${sessionId}/export?format=${format}`, {
    headers: { Authorization: pb.authStore.token },
  });
  if (!res.ok) throw Object.assign(new Error('export'), { status: res.status });
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || `conflicto.${format}`;
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * fieldErrors maps a refused write to {field: message}; `_` holds what
 * names no field (a network error, a server fault).
 */
export function fieldErrors(err) {
  if (!err || err.isAbort) return {};
  if (!err.status) return { _: t.networkError };
  const data = err.response?.data || {};
  const out = {};
  for (const [field, e] of Object.entries(data)) {
    if (e?.message) out[field] = e.message;
  }
  if (!Object.keys(out).length) out._ = err.response?.message || t.serverError;
  return out;
}
