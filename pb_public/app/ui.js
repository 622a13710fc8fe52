// Pieces both pages draw: results per activity type and the leaderboard,
// from the live document only.
import { h } from 'preact';
import htm from 'htm';
import { num, t } from './i18n.js';

export const html = htm.bind(h);

/** Banner is the small line that says the connection dropped. */
export function Banner({ offline }) {
  return offline ? html`<p class="banner" role="status">${t.offline}</p>` : null;
}

const percent = (n, total) => (total > 0 ? Math.round((100 * n) / total) : 0);

/**
 * OptionBars draws a poll's or a quiz's counts as bars; a revealed quiz's
 * correct options get a mark and a word, never colour alone. mine marks
 * the participant's own choices.
 */
export function OptionBars({ options, counts, correct, mine = [], label = t.results, of, columns = false }) {
  // Shares are of the people who answered (a multiple-choice poll's
  // voters), else of the counts.
  const total = of ?? counts.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...counts);
  return html`<ul class=${columns ? 'bars columns' : 'bars'} aria-label=${label}>
    ${options.map((opt, i) => {
      const n = counts[i] || 0;
      const isCorrect = correct?.includes(i);
      return html`<li
        key=${i}
        class=${`bar${isCorrect ? ' correct' : ''}${mine.includes(i) ? ' mine' : ''}`}
        aria-label=${t.optionResult(opt, n, percent(n, total), isCorrect)}
      >
        <span class="bar-label" aria-hidden="true">
          ${isCorrect ? html`<span class="mark">✓ </span>` : null}${opt}
          ${isCorrect ? html` <span class="tag">${t.correctMark}</span>` : null}
          ${mine.includes(i) ? html` <span class="tag mine-tag">${t.yours}</span>` : null}
        </span>
        <span class="bar-track" aria-hidden="true"><span class="bar-fill" style=${`--w:${(100 * n) / max}%`}></span></span>
        <span class="bar-count" aria-hidden="true">${columns ? num(n) : `${num(n)} · ${percent(n, total)}%`}</span>
      </li>`;
    })}
  </ul>`;
}

const numberText = (x) => (x == null ? t.noNumber : String(Math.round(x * 10) / 10));

/** PokerSummary is a revealed round: average, median, consensus, distribution. */
export function PokerSummary({ deck, results }) {
  const dist = results.distribution || {};
  return html`<div class="poker-summary">
    <dl class="stats">
      <div><dt id="stat-average">${t.average}</dt><dd aria-labelledby="stat-average">${numberText(results.average)}</dd></div>
      <div><dt id="stat-median">${t.median}</dt><dd aria-labelledby="stat-median">${numberText(results.median)}</dd></div>
    </dl>
    <p class=${results.consensus ? 'consensus yes' : 'consensus'}>${results.consensus ? t.consensus : t.noConsensus}</p>
    <${OptionBars}
      label=${t.distribution}
      options=${deck}
      counts=${deck.map((c) => dist[c] || 0)}
      columns
    />
  </div>`;
}

/**
 * WordCloud lays the words out by frequency: the size grows with the
 * count, the most frequent in the middle.
 */
export function WordCloud({ words, big = false }) {
  if (!words?.length) return html`<p class="muted">${t.noWords}</p>`;
  const max = Math.max(...words.map((w) => w.count));
  const min = Math.min(...words.map((w) => w.count));
  // Alternate sides so the largest words end up in the centre.
  const ordered = [];
  words.forEach((w, i) => (i % 2 ? ordered.push(w) : ordered.unshift(w)));
  const scale = (n) => (max === min ? 1 : (n - min) / (max - min));
  return html`<ul class=${big ? 'cloud big' : 'cloud'} aria-label=${t.wordCloud}>
    ${ordered.map(
      (w) => html`<li key=${w.text} aria-label=${t.wordCount(w.text, w.count)} style=${`--s:${scale(w.count).toFixed(3)}`}>
        ${w.text}
      </li>`,
    )}
  </ul>`;
}

/** Leaderboard is the public top 10; meId highlights the participant. */
export function Leaderboard({ entries, meId, final = false }) {
  const title = final ? t.finalLeaderboard : t.leaderboard;
  return html`<section class="leaderboard" aria-labelledby="leaderboard-title">
    <h2 id="leaderboard-title">${title}</h2>
    <ol aria-label=${title}>
      ${entries.map(
        (e, i) => html`<li key=${e.participant} class=${e.participant === meId ? 'me' : ''}
          aria-label=${t.leaderEntry(i + 1, e.nickname, e.score) + (e.participant === meId ? ` ${t.you}` : '')}>
          <span class="rank" aria-hidden="true">${i + 1}</span>
          <span class="who" aria-hidden="true">${e.nickname}${e.participant === meId ? ` ${t.you}` : ''}</span>
          <span class="score" aria-hidden="true">${num(e.score)}</span>
        </li>`,
      )}
    </ol>
  </section>`;
}

/**
 * QuestionList draws a Q&A's public questions in the server's order
 * (pinned, then votes, then time). actions(q) adds a question's buttons
 * (the phone's upvote or withdraw); limit keeps the top ones (the screen's).
 */
export function QuestionList({ questions, actions, limit, big = false, mineIds = [] }) {
  if (!questions?.length) return html`<p class="muted">${t.noQuestions}</p>`;
  const shown = limit ? questions.slice(0, limit) : questions;
  return html`<ol class=${big ? 'questions big' : 'questions'} aria-label=${t.questionsLabel}>
    ${shown.map(
      (q) => html`<li key=${q.id} class=${`question-item${q.pinned ? ' pinned' : ''}${q.status === 'answered' ? ' answered' : ''}`}
        aria-label=${t.questionEntry(q.text, q.votes, q.pinned, q.status === 'answered', q.author, mineIds.includes(q.id))}>
        <span class="question-votes" aria-hidden="true"><strong>${num(q.votes)}</strong> ${t.upvotesWord(q.votes)}</span>
        <span class="question-body" aria-hidden="true">
          <span class="question-text">${q.text}</span>
          <span class="question-meta">
            ${q.pinned ? html`<span class="tag">${t.pinned}</span> ` : null}
            ${q.status === 'answered' ? html`<span class="tag">${t.answeredTag}</span> ` : null}
            ${mineIds.includes(q.id) ? html`<span class="tag mine-tag">${t.yourQuestion}</span> ` : null}
            ${q.author ? html`<span class="muted">${t.askedBy(q.author)}</span>` : null}
          </span>
        </span>
        ${actions ? actions(q) : null}
      </li>`,
    )}
  </ol>`;
}

/** Results draws the public results of the current activity, by type. */
export function Results({ activity, results, mine, big = false }) {
  if (!activity || !results) return null;
  switch (activity.type) {
    case 'poll':
      return html`<${OptionBars} options=${activity.options} counts=${results.counts} mine=${mine?.choices || []}
        of=${results.voters} label=${activity.status === 'active' ? t.liveResults : t.results} />`;
    case 'quiz':
      return html`<${OptionBars} options=${activity.options} counts=${results.counts} correct=${results.correct}
        of=${results.answered} mine=${mine?.choice != null ? [mine.choice] : []} />`;
    case 'poker':
      return results.distribution ? html`<${PokerSummary} deck=${activity.deck} results=${results} />` : null;
    case 'wordcloud':
      return html`<${WordCloud} words=${results.words} big=${big} />`;
    case 'qa':
      return html`<${QuestionList} questions=${results.questions} big=${big} limit=${big ? 5 : 0} />`;
    default:
      return null;
  }
}
