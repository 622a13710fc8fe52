package apitest_test

import (
	"net/http"
	"testing"
	"time"

	"conflicto/config"
)

func TestZZKickEvent(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	phone := openSSE(t, base)
	phone.subscribe(t, base, w.headers(t, actorParticipant)["Authorization"], "participants/"+w.ada.Id, "live/"+codeOf(w.s1))
	t.Log(phone.drain(500 * time.Millisecond))
	r := doJSON(t, http.MethodDelete, base+"/api/collections/participants/records/"+w.ada.Id, "", w.headers(t, actorOwner)["Authorization"])
	t.Log(r.status, string(r.body))
	for _, ev := range phone.drain(2 * time.Second) {
		t.Log(ev.name, ev.data)
	}
}
