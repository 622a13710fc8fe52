// Command loadtest drives a running Conflicto server over HTTP on loopback
// and measures plain PocketBase v0.39.11 (./loadtest/plainpb) doing the
// equivalent work, for comparison:
//
//	go run ./loadtest join   -n 3000 -c 50 [-collide]
//	go run ./loadtest vote   -n 3000 -c 50 [-backup]
//	go run ./loadtest fanout -k 2000
//	go run ./loadtest event  -n 500 -duration 2m
//	go run ./loadtest flood  -n 500 -pairs 3 -flood-n 5000
//	go run ./loadtest soak   -n 2000 -duration 60m -polls 30 -soak-out DIR
//
// Every scenario prepares its own fixture through the API as the superuser
// (-su-email, -su-password), checks the server's state against what it
// acknowledged afterwards, prints a human summary and then one JSON line,
// and stops by itself: all work ends at the -timeout deadline, and the
// process exits shortly after it whatever happens. -plain-url adds the
// baseline run against a plainpb server; -compare builds and starts both
// servers itself on free loopback ports with temporary data directories.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

// Options are the command-line settings of one run.
type Options struct {
	Scenario   string
	URL        string
	PlainURL   string
	Target     string
	Compare    bool
	Keep       bool
	SuEmail    string
	SuPassword string

	N, C    int
	Collide bool
	Backup  bool

	Repeat int

	K            int
	Rounds       int
	ConnectC     int
	RoundTimeout time.Duration

	Duration   time.Duration
	Round      time.Duration
	Screens    int
	Heartbeat  time.Duration
	AnswerRate float64
	PhonesSSE  bool
	Seed       int64

	Pairs  int
	Window time.Duration
	FloodN int
	FloodC int
	Limits bool
	// The soak (-soak, or the soak scenario): an eight-hour day compressed.
	Soak         bool
	Polls        int
	Recycle      time.Duration
	Sample       time.Duration
	Warmup       time.Duration
	MetricsToken string
	SoakOut      string

	Timeout  time.Duration
	PID      int
	PlainPID int
	Commit   string
	// CPUProfile is where the tool writes its own CPU profile ("": none).
	CPUProfile string
}

var scenarios = []string{"join", "vote", "fanout", "event", "flood", "soak"}

func usage(fs *flag.FlagSet) {
	fmt.Fprintf(os.Stderr, "usage: go run ./loadtest <%s> [flags]\n\nflags:\n", strings.Join(scenarios, "|"))
	fs.PrintDefaults()
}

// parseOptions reads the scenario and its flags.
func parseOptions(args []string) (*Options, error) {
	o := &Options{}
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8090", "base URL of the server under test (Conflicto, or plainpb with -target plain)")
	fs.StringVar(&o.PlainURL, "plain-url", "", "base URL of a plainpb server: also run the baseline and print the ratios")
	fs.StringVar(&o.Target, "target", "conflicto", "what -url runs: conflicto or plain")
	fs.BoolVar(&o.Compare, "compare", false, "build and start Conflicto and plainpb on free loopback ports, run both, print the ratios")
	fs.BoolVar(&o.Keep, "keep", false, "with -compare: keep the temporary directory (data and server logs)")
	fs.StringVar(&o.SuEmail, "su-email", os.Getenv("CONFLICTO_SUPERUSER_EMAIL"), "superuser email (default $CONFLICTO_SUPERUSER_EMAIL)")
	fs.StringVar(&o.SuPassword, "su-password", os.Getenv("CONFLICTO_SUPERUSER_PASSWORD"), "superuser password (default $CONFLICTO_SUPERUSER_PASSWORD)")
	fs.IntVar(&o.N, "n", 3000, "join, vote, event: participants")
	fs.IntVar(&o.C, "c", 50, "join, vote: concurrent requests")
	fs.BoolVar(&o.Collide, "collide", false, "join: half of the nicknames collide with the other half (case variants)")
	fs.IntVar(&o.Repeat, "repeat", 0, "join, vote, fanout: runs per target, alternating the targets (default 3 with -compare, else 1); the report gives the median and the spread")
	fs.BoolVar(&o.Backup, "backup", false, "vote: take a backup (POST /api/backups) once a quarter of the votes are in, report the votes during it apart; fails over 1s at p99")
	fs.IntVar(&o.K, "k", 2000, "fanout: realtime subscribers")
	fs.IntVar(&o.Rounds, "rounds", 3, "fanout: changes timed (one after the other)")
	fs.IntVar(&o.ConnectC, "connect-c", 50, "fanout, event: realtime connects in flight")
	fs.DurationVar(&o.RoundTimeout, "round-timeout", 15*time.Second, "fanout, event: how long to wait for a change to reach every subscriber")
	fs.DurationVar(&o.Duration, "duration", 2*time.Minute, "event: length of the event")
	fs.DurationVar(&o.Round, "round", 20*time.Second, "event: time per poll")
	fs.IntVar(&o.Screens, "screens", 20, "event: anonymous live screens")
	fs.DurationVar(&o.Heartbeat, "heartbeat", 10*time.Second, "event: heartbeat period of a participant")
	fs.Float64Var(&o.AnswerRate, "answer-rate", 0.9, "event: share of participants answering each poll")
	fs.BoolVar(&o.PhonesSSE, "phones-subscribe", true, "event: every participant also subscribes to the live topic")
	fs.Int64Var(&o.Seed, "seed", 1, "event, flood: random seed of arrivals, think times and choices")
	fs.IntVar(&o.Pairs, "pairs", 3, "flood: pairs of rounds, each a calm one then one with the flood")
	fs.DurationVar(&o.Window, "window", 3*time.Second, "flood: every phone answers once within this time of a round's start")
	fs.IntVar(&o.FloodN, "flood-n", 5000, "flood: answer changes the flooder sends per flood round, as fast as it can")
	fs.IntVar(&o.FloodC, "flood-c", 8, "flood: the flooder's concurrent requests")
	fs.BoolVar(&o.Limits, "limits", true, "with -compare: start Conflicto with CONFLICTO_RATE_LIMITS set to this")
	fs.IntVar(&o.Polls, "polls", 0, "event, soak: polls in the event (sets -round to duration/polls; soak default 30)")
	fs.DurationVar(&o.Recycle, "recycle", 0, "event, soak: every realtime connection (screens and phones) is ended and reconnected after about this long, as PocketBase's 30-minute limit does (soak default: 30m compressed as 8h into -duration)")
	fs.DurationVar(&o.Sample, "sample", 0, "event, soak: sample the server's RSS, goroutines and open files this often (soak default 1m)")
	fs.DurationVar(&o.Warmup, "warmup", 0, "soak: everyone joins within it; RSS, goroutines and open files must not trend up after it (default 10% of -duration, at least 1m)")
	fs.StringVar(&o.MetricsToken, "metrics-token", os.Getenv("CONFLICTO_METRICS_TOKEN"), "bearer token of /api/metrics, for goroutines and open files (default $CONFLICTO_METRICS_TOKEN; made up with -compare)")
	fs.StringVar(&o.SoakOut, "soak-out", "", "event, soak: directory for samples.csv, rss.svg and rss.txt")
	fs.DurationVar(&o.Timeout, "timeout", 0, "hard deadline of the load (default 10m, event: duration + 5m); the process exits 2m after it at the latest")
	fs.IntVar(&o.PID, "pid", 0, "pid of the server under test, to report its RSS (automatic with -compare)")
	fs.StringVar(&o.Commit, "commit", "", "commit to report (default: git rev-parse of the working directory, +dirty when modified)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write the tool's own CPU profile over the load to this file (go tool pprof), to see what the tool costs the cores it shares with the server")
	fs.IntVar(&o.PlainPID, "plain-pid", 0, "pid of the plainpb server, to report its RSS (automatic with -compare)")

	if len(args) == 0 || args[0] == "help" || strings.HasPrefix(args[0], "-") {
		usage(fs)
		if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			os.Exit(0)
		}
		return nil, fmt.Errorf("missing scenario")
	}
	o.Scenario = args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return nil, err
	}
	return o, o.validate()
}

// validate keeps a run within what a 2-core box can take.
func (o *Options) validate() error {
	var bad []string
	check := func(ok bool, msg string) {
		if !ok {
			bad = append(bad, msg)
		}
	}
	check(contains(scenarios, o.Scenario), fmt.Sprintf("unknown scenario %q (want one of %s)", o.Scenario, strings.Join(scenarios, ", ")))
	check(o.Target == "conflicto" || o.Target == "plain", "-target must be conflicto or plain")
	if o.Scenario == "soak" {
		o.soakDefaults()
	}
	check(!(o.Target == "plain" && (o.Scenario == "event" || o.Scenario == "flood" || o.Scenario == "soak")), o.Scenario+" has no plain baseline")
	check(o.Pairs >= 1 && o.Pairs <= 10, "-pairs must be 1..10")
	check(o.Window >= 500*time.Millisecond && o.Window <= time.Minute, "-window must be 500ms..1m")
	check(o.FloodN >= 1 && o.FloodN <= 100000, "-flood-n must be 1..100000")
	check(o.FloodC >= 1 && o.FloodC <= 512, "-flood-c must be 1..512")
	check(o.N >= 1 && o.N <= 100000, "-n must be 1..100000")
	check(o.C >= 1 && o.C <= 500, "-c must be 1..500")
	check(o.Repeat >= 0 && o.Repeat <= 9, "-repeat must be 0..9")
	check(o.K >= 1 && o.K <= 15000, "-k must be 1..15000")
	check(o.Rounds >= 1 && o.Rounds <= 20, "-rounds must be 1..20")
	check(o.ConnectC >= 1 && o.ConnectC <= 500, "-connect-c must be 1..500")
	check(o.Duration >= 10*time.Second && o.Duration <= 12*time.Hour, "-duration must be 10s..12h")
	check(o.Polls >= 0 && o.Polls <= 1000, "-polls must be 0..1000")
	if o.Polls > 0 {
		o.Round = o.Duration / time.Duration(o.Polls)
	}
	check(o.Recycle == 0 || o.Recycle >= 10*time.Second, "-recycle must be 0 (off) or at least 10s")
	check(o.Sample == 0 || o.Sample >= time.Second, "-sample must be 0 (off) or at least 1s")
	check(o.Warmup >= 0 && o.Warmup < o.Duration, "-warmup must be shorter than -duration")
	check(o.MetricsToken != "" || o.Compare || o.Scenario != "soak", "soak: -metrics-token is required (goroutines and open files come from /api/metrics) unless -compare")
	check(o.Round >= 5*time.Second, "-round must be at least 5s")
	check(o.Screens >= 0 && o.Screens <= 5000, "-screens must be 0..5000")
	check(o.Heartbeat >= time.Second, "-heartbeat must be at least 1s")
	check(o.AnswerRate >= 0 && o.AnswerRate <= 1, "-answer-rate must be 0..1")
	check(o.Timeout >= 0, "-timeout must not be negative")
	check(o.Compare || (o.SuEmail != "" && o.SuPassword != ""), "-su-email and -su-password are required (or CONFLICTO_SUPERUSER_EMAIL/_PASSWORD)")
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "\n"))
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Minute
		if o.Scenario == "event" || o.Scenario == "soak" {
			o.Timeout = o.Duration + 5*time.Minute
		}
	}
	if o.Repeat == 0 {
		o.Repeat = 1
		if o.Compare {
			o.Repeat = 3
		}
	}
	if o.Compare && o.MetricsToken == "" {
		o.MetricsToken = randomID(32)
	}
	if o.SoakOut != "" {
		if err := os.MkdirAll(o.SoakOut, 0o755); err != nil {
			return err
		}
	}
	if o.Compare && (o.SuEmail == "" || o.SuPassword == "") {
		o.SuEmail, o.SuPassword = "loadtest@example.com", randomID(24)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func main() {
	o, err := parseOptions(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(2)
	}
	raiseFileLimit()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	loadCtx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	// Checks run after the load, within their own bound.
	checkCtx, cancelCheck := context.WithTimeout(ctx, o.Timeout+90*time.Second)
	defer cancelCheck()

	env := &Env{}
	// Whatever happens, the process ends shortly after the deadline.
	watchdog := time.AfterFunc(o.Timeout+2*time.Minute, func() {
		fmt.Fprintln(os.Stderr, "loadtest: hard deadline passed; exiting")
		env.Close()
		os.Exit(3)
	})
	defer watchdog.Stop()

	stopProfile, err := startCPUProfile(o.CPUProfile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(2)
	}
	rep, err := run(loadCtx, checkCtx, o, env)
	stopProfile()
	env.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	rep.Print(os.Stdout, os.Stdout)
	if !rep.OK {
		os.Exit(1)
	}
}

// startCPUProfile starts profiling the tool into path ("": not at all) and
// returns what stops it.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// raiseFileLimit lifts the soft limit on open files to the hard one: five
// thousand realtime clients need as many descriptors.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			progress("cannot raise the open files limit: %v", err)
		}
	}
}

// progress reports what the tool is doing, on stderr.
func progress(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, a...))
}

// compressedDay is the working day a soak compresses into -duration.
const compressedDay = 8 * time.Hour

// pocketBaseMaxConnection is how long PocketBase keeps a realtime
// connection before it ends it (the SDK reconnects).
const pocketBaseMaxConnection = 30 * time.Minute

// soakDefaults fills what the soak scenario leaves unset: 2,000
// participants over 60 minutes with 30 polls when -n, -duration and -polls
// keep the event's defaults, connections recycled as 30 minutes of an
// eight-hour day would be, a sample a minute, a warm-up of a tenth.
func (o *Options) soakDefaults() {
	o.Soak = true
	if o.Polls == 0 {
		o.Polls = 30
	}
	if o.Recycle == 0 {
		o.Recycle = max(time.Duration(float64(pocketBaseMaxConnection)*float64(o.Duration)/float64(compressedDay)), 10*time.Second)
	}
	if o.Sample == 0 {
		o.Sample = time.Minute
	}
	if o.Warmup == 0 {
		o.Warmup = max(o.Duration/10, time.Minute)
	}
}
