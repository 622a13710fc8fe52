// Every user-facing string of the pages: a translation is a copy of this
// file. Functions build the strings that carry values.

export const lang = 'en';

/** num writes a number the way this language groups digits. */
export const num = (n) => n.toLocaleString(lang);

const plural = (n, one, many) => `${num(n)} ${n === 1 ? one : many}`;

export const t = {
  appName: 'Conflicto',

  // Connection and generic trouble.
  loading: 'Loading…',
  offline: 'Connection lost — reconnecting…',
  networkError: "We couldn't reach the server. Check your connection and try again.",
  serverError: 'Something went wrong on our side. Please try again.',
  tryAgain: 'Try again',

  // Join form.
  joinTitle: 'Join a session',
  joinIntro: 'Enter the code shown on the big screen and pick a nickname.',
  codeLabel: 'Session code',
  codeHint: '6 letters and numbers, for example K7M2QX',
  nicknameLabel: 'Nickname',
  nicknameHint: 'Up to 24 characters. Others will see it.',
  joinButton: 'Join',
  joining: 'Joining…',
  errorSummary: 'There is a problem',
  checking: 'Checking…',
  availability: 'Nickname availability',
  nicknameFree: (n) => `“${n}” is free.`,
  nicknameTaken: (s) => (s ? `That nickname is taken — try “${s}”.` : 'That nickname is taken — try another one.'),
  useSuggestion: (s) => `Use “${s}”`,
  joiningSession: (title) => `You are joining “${title}”.`,

  // Field errors by the server's error code.
  errors: {
    code_required: 'Enter the session code.',
    code_invalid: 'The code is 6 letters and numbers, for example K7M2QX.',
    not_found: 'No session has this code. Check the code on the big screen.',
    session_not_started: "The host hasn't started this session yet.",
    session_ended: 'This session has ended.',
    session_full: 'This session is full.',
    nickname_length: 'Enter a nickname of 1 to 24 characters.',
    nickname_invalid: 'The nickname has characters we cannot show. Try another one.',
    nickname_taken: 'That nickname is taken.',
    blocked_word: 'That nickname is not allowed. Try another one.',
    banned: 'The host removed you from this session. You cannot join it again.',
    activity_not_active: 'This question is closed.',
    already_answered: 'You have already answered.',
    answer_final: 'Quiz answers are final.',
    time_up: "Time's up — your answer came too late.",
    too_many_words: (n) => `Enter up to ${n} words.`,
    word_length: (n) => `Each word can be up to ${n} characters.`,
    word_blocked: 'One of the words is not allowed. Try another one.',
    invalid_value: 'That answer was not accepted. Check it and try again.',
    session_completed: 'This session has ended.',
    text_required: 'Write your question first.',
    text_too_long: (n) => `A question can be up to ${n} characters.`,
    text_invalid: 'The question has characters we cannot show. Try rewording it.',
    question_limit: (n) => `You have asked ${n === 1 ? 'your question' : `your ${n} questions`} — that is the limit here.`,
    own_question: "You can't upvote your own question.",
    question_not_visible: 'This question is no longer open for votes.',
    already_voted: 'You have already upvoted this question.',
    questions_only: 'This is a Q&A: ask a question instead.',
  },

  // Side states.
  unknownTitle: 'No session has this code',
  unknownBody: 'Check the code on the big screen and try again.',
  enterAnotherCode: 'Enter another code',
  notStartedTitle: "The host hasn't started yet",
  notStartedBody: 'This page will update by itself.',
  endedTitle: 'This session has ended',
  endedBody: 'Thank you for taking part!',
  kickedTitle: 'You were removed from this session',
  kickedBody: 'The host removed you. You can join again with a nickname.',
  joinAgain: 'Join again',
  bannedBody: 'The host removed you from this session. You cannot join it again.',

  // Waiting.
  waitingTitle: (title) => title,
  waitingBody: 'The host will start soon. This page will update by itself.',
  joinedAs: (n) => `You are “${n}”.`,
  joinedCount: (n) => `${plural(n, 'person has', 'people have')} joined.`,

  // Activities.
  questionOf: (i, n) => `Question ${i} of ${n}`,
  chooseOne: 'Choose one.',
  chooseUpTo: (n) => (n === 1 ? 'Choose one.' : `Choose up to ${n}.`),
  chosen: (n, max) => `${n} of ${max} chosen`,
  sendAnswer: 'Send answer',
  sending: 'Sending…',
  pickCard: 'Pick a card.',
  cardName: (card) => ({ '?': 'Not sure (?)', '☕': 'I need a break (☕)' })[card] || card,
  quizPick: 'Pick one. Your first answer is final.',
  timeLeft: 'Time left',
  seconds: (s) => `${s} s`,
  timeUp: "Time's up",
  wordPrompt: (n, len) => `Enter up to ${plural(n, 'word', 'words')} (up to ${len} characters each).`,
  wordLabel: (i) => `Word ${i}`,

  // Q&A.
  qaHint: (anonymous) => (anonymous ? 'Ask the speaker anything. Your name is not shown.' : 'Ask the speaker anything. Your nickname is shown with your question.'),
  yourQuestionLabel: 'Your question',
  questionHint: (max) => `Up to ${max} characters.`,
  charsLeft: (n) => `${plural(n, 'character', 'characters')} left`,
  ask: 'Ask',
  asking: 'Asking…',
  askedCount: (n, max) => `You have asked ${num(n)} of ${plural(max, 'question', 'questions')}.`,
  askedThanks: 'Thanks! Your question is in.',
  askedWaiting: 'Thanks! Your question will show once the host approves it.',
  waitingApproval: 'Waiting for approval',
  myWaiting: 'Your questions waiting for approval',
  questionsLabel: 'Questions',
  noQuestions: 'No questions yet.',
  upvotesWord: (n) => (n === 1 ? 'upvote' : 'upvotes'),
  upvote: (text) => `Upvote “${text}”`,
  upvoted: 'Upvoted',
  upvoteShort: 'Upvote',
  withdrawQuestion: (text) => `Withdraw your question “${text}”`,
  withdrawShort: 'Withdraw',
  pinned: 'Pinned',
  answeredTag: 'Answered',
  yourQuestion: 'Your question',
  askedBy: (n) => `asked by ${n}`,
  questionEntry: (text, votes, pinned, answered, author, mine) =>
    [text, plural(votes, 'upvote', 'upvotes'), pinned ? 'pinned' : '', answered ? 'answered' : '', author ? `asked by ${author}` : '', mine ? 'your question' : '']
      .filter(Boolean)
      .join(', '),
  qaClosed: 'Questions are closed.',
  questionsCount: 'Questions',

  // After answering.
  sentTitle: 'Answer sent',
  sentChangeable: 'You can change it until the host moves on.',
  sentFinal: 'Quiz answers are final. Results come when the host reveals them.',
  yourAnswer: 'Your answer',
  changeAnswer: 'Change answer',
  closedTitle: 'Answers are closed',
  closedNoAnswer: "You didn't answer this one.",
  waitForHost: 'Waiting for the host…',

  // Results.
  results: 'Results',
  liveResults: 'Live results',
  votes: (n) => plural(n, 'vote', 'votes'),
  optionResult: (opt, n, pct, correct) => `${opt}: ${plural(n, 'vote', 'votes')} (${pct}%)${correct ? ', correct answer' : ''}`,
  correctMark: 'Correct answer',
  yours: 'Your answer',
  youWereRight: 'Correct!',
  youWereWrong: 'Not quite.',
  theAnswerWas: (opts) => `The answer was ${opts}.`,
  yourPoints: (n) => `You scored ${plural(n, 'point', 'points')} on this question.`,
  yourRank: (rank, score) => `You are number ${rank} with ${plural(score, 'point', 'points')}.`,
  notInTop: 'You are not in the top 10 yet.',
  average: 'Average',
  median: 'Median',
  consensus: 'Consensus!',
  noConsensus: 'No consensus yet',
  noNumber: '—',
  distribution: 'Distribution',
  votesList: 'Votes',
  voteLabel: (nickname, card) => `${nickname}: ${card}`,
  hiddenVote: 'Hidden vote',
  moreCards: (n) => `and ${plural(n, 'more vote', 'more votes')}`,
  wordCloud: 'Word cloud',
  wordCount: (w, n) => `${w} (${n})`,
  noWords: 'No words yet.',
  leaderboard: 'Leaderboard',
  finalLeaderboard: 'Final leaderboard',
  leaderEntry: (rank, nickname, score) => `${rank}. ${nickname}, ${plural(score, 'point', 'points')}`,
  you: '(you)',

  // Big screen.
  screenTitle: 'Big screen',
  screenCodePrompt: 'Enter the session code to show on this screen.',
  showButton: 'Show',
  joinAt: 'Join at',
  withCode: 'Code',
  qrAlt: (url) => `QR code to join at ${url}`,
  participants: 'Participants',
  answered: 'Answered',
  answeredOf: (n, of) => `${num(n)} of ${num(of)}`,
  lobbyBody: 'Scan the code or open the address on your phone to join.',
  lobbyDraft: "The session hasn't started yet.",
  thanks: 'Thank you for taking part!',
};

// errorText is the sentence for a server error code (with the number a
// word-cloud error needs).
export function errorText(code, n) {
  const e = t.errors[code];
  if (typeof e === 'function') return e(n);
  return e || t.serverError;
}
