package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// walk is the state the README keeps in shell variables.
type walk struct {
	api, email, password string
	client               *http.Client

	host                         string // $HOST, the host's token
	sid, code                    string // $SID, $CODE
	poll, quiz, poker, wordcloud string // $POLL, $QUIZ, $POKER, $CLOUD
	ptoken, pid                  string // $PTOKEN, $PID: the phone
}

// step is one step of the walk-through: what it does, the README's curl
// command for it (verbatim; a test finds each in README.md), and the
// request with the checks of what the README says comes back.
type step struct {
	say  string
	curl string
	run  func(w *walk) error
}

// record is the part of a record the walk-through reads.
type record struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	Status   string `json:"status"`
	Owner    string `json:"owner"`
	Revealed bool   `json:"revealed"`
	Type     string `json:"type"`
}

var steps = []step{
	{
		say: "the host signs in (the operator made the account with conflicto hosts add)",
		curl: `HOST=$(curl -s $API/api/collections/users/auth-with-password \
  -H 'Content-Type: application/json' \
  -d '{"identity":"host@example.com","password":"a-long-password"}' | jq -r .token)`,
		run: func(w *walk) error {
			var out struct{ Token string }
			err := w.call(http.MethodPost, "/api/collections/users/auth-with-password", "",
				map[string]string{"identity": w.email, "password": w.password}, http.StatusOK, &out)
			if err != nil {
				return fmt.Errorf("%w (no host account? printf '%%s\\n' PASSWORD | conflicto hosts add %s --password-stdin)", err, w.email)
			}
			if out.Token == "" {
				return fmt.Errorf("sign-in answered no token")
			}
			w.host = out.Token
			return nil
		},
	},
	{
		say: "create a session: the host owns it, the code is generated, it starts as a draft",
		curl: `SESSION=$(curl -s $API/api/collections/sessions/records -H "Authorization: $HOST" \
  -H 'Content-Type: application/json' -d '{"title":"All-hands Q4"}')`,
		run: func(w *walk) error {
			var s record
			if err := w.call(http.MethodPost, "/api/collections/sessions/records", w.host,
				map[string]string{"title": "All-hands Q4"}, http.StatusOK, &s); err != nil {
				return err
			}
			if s.Status != "draft" || len(s.Code) != 6 || s.Owner == "" {
				return fmt.Errorf("session %+v: want a draft with a 6-character code and an owner", s)
			}
			w.sid, w.code = s.ID, s.Code
			return nil
		},
	},
	{
		say: "add a poll (appended in order; config is validated per type)",
		curl: `POLL=$(curl -s $API/api/collections/activities/records -H "Authorization: $HOST" -H 'Content-Type: application/json' \
  -d "{\"session\":\"$SID\",\"type\":\"poll\",\"title\":\"Lunch?\",\"config\":{\"options\":[\"Pizza\",\"Sushi\"]}}" | jq -r .id)`,
		run: func(w *walk) (err error) {
			w.poll, err = w.addActivity("poll", "Lunch?", map[string]any{"options": []string{"Pizza", "Sushi"}})
			return err
		},
	},
	{
		say: "add a quiz",
		curl: `QUIZ=$(curl -s $API/api/collections/activities/records -H "Authorization: $HOST" -H 'Content-Type: application/json' \
  -d "{\"session\":\"$SID\",\"type\":\"quiz\",\"title\":\"2+2?\",\"config\":{\"options\":[\"3\",\"4\"],\"correct\":1}}" | jq -r .id)`,
		run: func(w *walk) (err error) {
			w.quiz, err = w.addActivity("quiz", "2+2?", map[string]any{"options": []string{"3", "4"}, "correct": 1})
			return err
		},
	},
	{
		say: "add a planning-poker round (the default deck)",
		curl: `POKER=$(curl -s $API/api/collections/activities/records -H "Authorization: $HOST" -H 'Content-Type: application/json' \
  -d "{\"session\":\"$SID\",\"type\":\"poker\",\"title\":\"Estimate the login page\"}" | jq -r .id)`,
		run: func(w *walk) (err error) {
			w.poker, err = w.addActivity("poker", "Estimate the login page", nil)
			return err
		},
	},
	{
		say: "add a word cloud",
		curl: `CLOUD=$(curl -s $API/api/collections/activities/records -H "Authorization: $HOST" -H 'Content-Type: application/json' \
  -d "{\"session\":\"$SID\",\"type\":\"wordcloud\",\"title\":\"One word for this year\",\"config\":{\"max_words\":1}}" | jq -r .id)`,
		run: func(w *walk) (err error) {
			w.wordcloud, err = w.addActivity("wordcloud", "One word for this year", map[string]any{"max_words": 1})
			return err
		},
	},
	{
		say: "open the session",
		curl: `curl -s -X PATCH $API/api/collections/sessions/records/$SID -H "Authorization: $HOST" \
  -H 'Content-Type: application/json' -d '{"status":"active"}'`,
		run: func(w *walk) error { return w.setSessionStatus("active") },
	},
	{
		say:  "a phone joins with the code and a nickname",
		curl: `JOIN=$(curl -s $API/api/join -H 'Content-Type: application/json' -d "{\"code\":\"$CODE\",\"nickname\":\"Ada\"}")`,
		run: func(w *walk) error {
			var out struct {
				Token  string
				Record record
			}
			if err := w.call(http.MethodPost, "/api/join", "", map[string]string{"code": w.code, "nickname": "Ada"}, http.StatusOK, &out); err != nil {
				return err
			}
			if out.Token == "" || out.Record.ID == "" {
				return fmt.Errorf("join answered no token or no record: %+v", out)
			}
			w.ptoken, w.pid = out.Token, out.Record.ID
			return nil
		},
	},
	{
		say:  "advance: the first draft, the poll, becomes the current activity",
		curl: `curl -s -X POST $API/api/sessions/$SID/advance -H "Authorization: $HOST"`,
		run:  func(w *walk) error { return w.advance(&w.poll) },
	},
	{
		say: "the phone answers the poll: Sushi",
		curl: `curl -s $API/api/collections/responses/records -H "Authorization: $PTOKEN" -H 'Content-Type: application/json' \
  -d "{\"activity\":\"$POLL\",\"participant\":\"$PID\",\"value\":{\"choices\":[1]}}"`,
		run: func(w *walk) error { return w.answer(w.poll, map[string]any{"choices": []int{1}}) },
	},
	{
		say:  "the big screen reads (and subscribes to) the public live state",
		curl: `curl -s $API/api/live/$CODE`,
		run: func(w *walk) error {
			var doc struct {
				Participants struct{ Count int }
				Activity     *record
				Results      *struct{ Counts []int }
			}
			if err := w.call(http.MethodGet, "/api/live/"+w.code, "", nil, http.StatusOK, &doc); err != nil {
				return err
			}
			if doc.Participants.Count != 1 || doc.Activity == nil || doc.Activity.ID != w.poll ||
				doc.Results == nil || fmt.Sprint(doc.Results.Counts) != "[0 1]" {
				return fmt.Errorf("live state: %d participants, activity %+v, results %+v; want 1, the poll, counts [0 1]",
					doc.Participants.Count, doc.Activity, doc.Results)
			}
			return nil
		},
	},
	{
		say:  "the host reads the poll's results",
		curl: `curl -s $API/api/activities/$POLL/results -H "Authorization: $HOST"`,
		run: func(w *walk) error {
			var res struct{ Counts []int }
			if err := w.call(http.MethodGet, "/api/activities/"+w.poll+"/results", w.host, nil, http.StatusOK, &res); err != nil {
				return err
			}
			if fmt.Sprint(res.Counts) != "[0 1]" {
				return fmt.Errorf("poll counts %v, want [0 1]", res.Counts)
			}
			return nil
		},
	},
	{
		say:  "advance to the quiz",
		curl: `curl -s -X POST $API/api/sessions/$SID/advance -H "Authorization: $HOST"`,
		run:  func(w *walk) error { return w.advance(&w.quiz) },
	},
	{
		say: "the phone answers the quiz: 4 (final; scored by speed)",
		curl: `curl -s $API/api/collections/responses/records -H "Authorization: $PTOKEN" -H 'Content-Type: application/json' \
  -d "{\"activity\":\"$QUIZ\",\"participant\":\"$PID\",\"value\":{\"choice\":1}}"`,
		run: func(w *walk) error { return w.answer(w.quiz, map[string]any{"choice": 1}) },
	},
	{
		say: "reveal the quiz: the right answer and the scores become public",
		curl: `curl -s -X PATCH $API/api/collections/activities/records/$QUIZ -H "Authorization: $HOST" \
  -H 'Content-Type: application/json' -d '{"revealed":true}'`,
		run: func(w *walk) error { return w.reveal(w.quiz, true) },
	},
	{
		say:  "the host's full leaderboard",
		curl: `curl -s $API/api/sessions/$SID/leaderboard -H "Authorization: $HOST"`,
		run: func(w *walk) error {
			var lb struct {
				Items []struct {
					Nickname       string
					Score, Correct int
				}
			}
			if err := w.call(http.MethodGet, "/api/sessions/"+w.sid+"/leaderboard", w.host, nil, http.StatusOK, &lb); err != nil {
				return err
			}
			if len(lb.Items) != 1 || lb.Items[0].Nickname != "Ada" || lb.Items[0].Correct != 1 || lb.Items[0].Score < 500 {
				return fmt.Errorf("leaderboard %+v, want Ada with 1 correct answer and 500-1000 points", lb.Items)
			}
			return nil
		},
	},
	{
		say:  "advance to the poker round",
		curl: `curl -s -X POST $API/api/sessions/$SID/advance -H "Authorization: $HOST"`,
		run:  func(w *walk) error { return w.advance(&w.poker) },
	},
	{
		say: "the phone votes 5 (cards stay hidden until revealed)",
		curl: `curl -s $API/api/collections/responses/records -H "Authorization: $PTOKEN" -H 'Content-Type: application/json' \
  -d "{\"activity\":\"$POKER\",\"participant\":\"$PID\",\"value\":{\"card\":\"5\"}}"`,
		run: func(w *walk) error { return w.answer(w.poker, map[string]any{"card": "5"}) },
	},
	{
		say: "reveal the round",
		curl: `curl -s -X PATCH $API/api/collections/activities/records/$POKER -H "Authorization: $HOST" \
  -H 'Content-Type: application/json' -d '{"revealed":true}'`,
		run: func(w *walk) error { return w.reveal(w.poker, true) },
	},
	{
		say:  "a re-vote: reset clears the votes and hides the round again",
		curl: `curl -s -X POST $API/api/activities/$POKER/reset -H "Authorization: $HOST"`,
		run: func(w *walk) error {
			var act record
			if err := w.call(http.MethodPost, "/api/activities/"+w.poker+"/reset", w.host, nil, http.StatusOK, &act); err != nil {
				return err
			}
			if act.ID != w.poker || act.Revealed {
				return fmt.Errorf("reset answered %+v, want the round, no longer revealed", act)
			}
			return nil
		},
	},
	{
		say:  "advance to the word cloud",
		curl: `curl -s -X POST $API/api/sessions/$SID/advance -H "Authorization: $HOST"`,
		run:  func(w *walk) error { return w.advance(&w.wordcloud) },
	},
	{
		say: "the phone sends a word (normalised and counted case-insensitively)",
		curl: `curl -s $API/api/collections/responses/records -H "Authorization: $PTOKEN" -H 'Content-Type: application/json' \
  -d "{\"activity\":\"$CLOUD\",\"participant\":\"$PID\",\"value\":{\"words\":[\"Go\"]}}"`,
		run: func(w *walk) error { return w.answer(w.wordcloud, map[string]any{"words": []string{"Go"}}) },
	},
	{
		say:  "advance past the last activity: {\"activity\":null}, the session stays active",
		curl: `curl -s -X POST $API/api/sessions/$SID/advance -H "Authorization: $HOST"`,
		run:  func(w *walk) error { return w.advance(nil) },
	},
	{
		say: "complete the session",
		curl: `curl -s -X PATCH $API/api/collections/sessions/records/$SID -H "Authorization: $HOST" \
  -H 'Content-Type: application/json' -d '{"status":"completed"}'`,
		run: func(w *walk) error { return w.setSessionStatus("completed") },
	},
	{
		say:  "export everything as CSV: one row per answer, readable answers beside the raw values",
		curl: `curl -s "$API/api/sessions/$SID/export?format=csv" -H "Authorization: $HOST" -o session.csv`,
		run: func(w *walk) error {
			body, err := w.raw(http.MethodGet, "/api/sessions/"+w.sid+"/export?format=csv", w.host)
			if err != nil {
				return err
			}
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil {
				return fmt.Errorf("the export is not CSV: %v", err)
			}
			if len(rows) == 0 || len(rows[0]) < 6 || rows[0][5] != "answer" {
				return fmt.Errorf("export header %q, want answer as the sixth column", rows)
			}
			var answers []string
			for _, row := range rows[1:] {
				answers = append(answers, row[5])
			}
			// The poker vote went with the reset.
			if got := strings.Join(answers, ","); got != "Sushi,4,go" {
				return fmt.Errorf("export answers %q, want Sushi,4,go", got)
			}
			return nil
		},
	},
}

func (w *walk) addActivity(typ, title string, config map[string]any) (string, error) {
	body := map[string]any{"session": w.sid, "type": typ, "title": title}
	if config != nil {
		body["config"] = config
	}
	var act record
	if err := w.call(http.MethodPost, "/api/collections/activities/records", w.host, body, http.StatusOK, &act); err != nil {
		return "", err
	}
	if act.Status != "draft" || act.Type != typ {
		return "", fmt.Errorf("activity %+v: want a %s draft", act, typ)
	}
	return act.ID, nil
}

func (w *walk) setSessionStatus(status string) error {
	var s record
	if err := w.call(http.MethodPatch, "/api/collections/sessions/records/"+w.sid, w.host,
		map[string]string{"status": status}, http.StatusOK, &s); err != nil {
		return err
	}
	if s.Status != status {
		return fmt.Errorf("session status %q, want %q", s.Status, status)
	}
	return nil
}

// advance moves to the next activity and checks it is want (nil: none).
func (w *walk) advance(want *string) error {
	var out map[string]json.RawMessage
	if err := w.call(http.MethodPost, "/api/sessions/"+w.sid+"/advance", w.host, nil, http.StatusOK, &out); err != nil {
		return err
	}
	raw, ok := out["activity"]
	if want == nil {
		if !ok || string(raw) != "null" {
			return fmt.Errorf("advance answered %s, want {\"activity\":null} past the end", raw)
		}
		return nil
	}
	var act record
	if !ok || json.Unmarshal(raw, &act) != nil || act.ID != *want || act.Status != "active" {
		return fmt.Errorf("advance answered %s, want %s active", raw, *want)
	}
	return nil
}

func (w *walk) answer(activity string, value map[string]any) error {
	var res struct{ ID, Activity, Participant string }
	if err := w.call(http.MethodPost, "/api/collections/responses/records", w.ptoken,
		map[string]any{"activity": activity, "participant": w.pid, "value": value}, http.StatusOK, &res); err != nil {
		return err
	}
	if res.ID == "" || res.Activity != activity || res.Participant != w.pid {
		return fmt.Errorf("answer stored as %+v, want an answer of %s to %s", res, w.pid, activity)
	}
	return nil
}

func (w *walk) reveal(activity string, revealed bool) error {
	var act record
	if err := w.call(http.MethodPatch, "/api/collections/activities/records/"+activity, w.host,
		map[string]bool{"revealed": revealed}, http.StatusOK, &act); err != nil {
		return err
	}
	if act.Revealed != revealed {
		return fmt.Errorf("revealed = %v, want %v", act.Revealed, revealed)
	}
	return nil
}

// call sends a JSON request and decodes the answer into out (when not
// nil); a status other than want is an error that shows the body.
func (w *walk) call(method, path, token string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, w.api+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s, want %d", method, path, res.StatusCode, bytes.TrimSpace(data), want)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return nil
}

// raw GETs path and returns the body of a 200.
func (w *walk) raw(method, path, token string) ([]byte, error) {
	req, err := http.NewRequest(method, w.api+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", token)
	res, err := w.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, bytes.TrimSpace(data))
	}
	return data, nil
}
