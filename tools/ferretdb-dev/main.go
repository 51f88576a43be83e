// Command ferretdb-dev runs a MongoDB-wire-compatible server for local
// development and tests, on machines where a real MongoDB cannot be installed.
//
// It embeds FerretDB v1 as a Go library instead of building FerretDB's own
// command (github.com/FerretDB/FerretDB/cmd/ferretdb) because that command
// cannot be built from the module proxy: its build/version package reads
// generated files (version.txt, commit.txt, ...) that are produced by
// FerretDB's own `task gen-version` from a git checkout and are NOT part of
// the published module zip. When the main module IS github.com/FerretDB/FerretDB
// (which is what `go install .../cmd/ferretdb@v1.24.x` gives) its init()
// therefore panics with "Invalid build/version/version.txt file content".
//
// Embedding avoids that without any patching: build/version's init() returns
// early, before the version.txt check, whenever the main module path is not
// github.com/FerretDB/FerretDB (see build/version/version.go in the module
// cache), leaving Version = "unknown". We then fill in the real FerretDB module
// version from our own binary's build info, so `buildInfo` / `serverStatus`
// report a truthful `ferretdbVersion` instead of "unknown".
//
// By default FerretDB itself listens only on a Unix socket in a private
// directory, and the address clients use is served by the serializing front
// (front.go), which makes findAndModify atomic across clients. -direct serves
// FerretDB on that address instead, without the front: it exists to show the
// race the front prevents, and nothing else should use it.
//
// The SQLite handler is the default because it needs nothing else running:
// FerretDB uses modernc.org/sqlite (pure Go), so the binary builds with
// CGO_ENABLED=0 and state lives in one directory of *.sqlite files.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

const ferretModule = "github.com/FerretDB/FerretDB"

func main() {
	os.Exit(run())
}

func run() int {
	handler := flag.String("handler", "sqlite", "storage handler: sqlite or postgresql")
	sqliteDir := flag.String("sqlite-dir", "./.data/ferretdb", "directory for SQLite files (created if missing)")
	// Defaulting from the environment lets callers keep a password out of the
	// process list (argv is world-readable via ps; the environment is not).
	pgURL := flag.String("postgresql-url", os.Getenv("FERRETDB_POSTGRESQL_URL"),
		"PostgreSQL URL for -handler postgresql (default: $FERRETDB_POSTGRESQL_URL)")
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 picks a free port)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	pgDatabase := flag.String("postgresql-database", pgExisting,
		"with -handler postgresql, how to have the URL's database: existing, create (when missing), "+
			"temporary (new, dropped on exit) or drop (drop it and exit)")
	direct := flag.Bool("direct", false,
		"serve FerretDB directly, without the front that runs commands one at a time (demonstrates the claim race; never for real use)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-dev: bad -log-level %q: %v\n", *logLevel, err)
		return 2
	}
	logger := slog.New(quietResponses{slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})})

	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  *handler,
	}
	var frontListener net.Listener
	if !*direct {
		socketDir, err := os.MkdirTemp("", "ferretdb-dev-")
		if err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-dev: socket dir: %v\n", err)
			return 1
		}
		defer os.RemoveAll(socketDir)
		cfg.Listener = ferretdb.ListenerConfig{Unix: filepath.Join(socketDir, "ferretdb.sock")}
		if frontListener, err = net.Listen("tcp", *listen); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-dev: listen: %v\n", err)
			return 1
		}
		defer frontListener.Close()
	}

	switch *handler {
	case "sqlite":
		dir, err := filepath.Abs(*sqliteDir)
		if err == nil {
			err = os.MkdirAll(dir, 0o755)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-dev: sqlite dir: %v\n", err)
			return 1
		}
		// FerretDB wants a "file:" URI of an existing directory ending in "/".
		// Building it with url.URL escapes spaces, '?' and '#' in the path.
		cfg.SQLiteURL = (&url.URL{Scheme: "file", Path: dir + "/"}).String()
	case "postgresql":
		if *pgURL == "" {
			fmt.Fprintln(os.Stderr, "ferretdb-dev: -handler postgresql needs -postgresql-url or $FERRETDB_POSTGRESQL_URL")
			return 2
		}
		cfg.PostgreSQLURL = *pgURL
		dropDB, err := preparePostgreSQL(context.Background(), *pgURL, *pgDatabase)
		if err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-dev: %s\n", redact(err.Error(), *pgURL))
			return 1
		}
		if *pgDatabase == pgDrop {
			fmt.Println("ferretdb-dev: PostgreSQL database dropped")
			return 0
		}
		if dropDB != nil {
			// Deferred first, so it runs last: after FerretDB has closed its pool.
			defer func() {
				if err := dropDB(); err != nil {
					fmt.Fprintf(os.Stderr, "ferretdb-dev: %s\n", redact(err.Error(), *pgURL))
				}
			}()
		}
	default:
		fmt.Fprintf(os.Stderr, "ferretdb-dev: unknown -handler %q (want sqlite or postgresql)\n", *handler)
		return 2
	}

	// Must happen before any client can ask; see the package comment.
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == ferretModule {
				version.Get().Version = dep.Version
			}
		}
	}
	// FerretDB says nowhere which handler stores the data, yet what a query
	// costs depends on it (every query reads the whole collection, about ten
	// times faster on PostgreSQL than on SQLite): the apps read it here, from
	// buildInfo's buildEnvironment, to warn before a collection outgrows it.
	version.Get().BuildEnvironment.Set("ferretdbDevHandler", *handler)

	// ferretdb.New binds the listener (net.Listen), so once it returns the
	// kernel already accepts connections and Run only has to serve them.
	f, err := ferretdb.New(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-dev: %s\n", redact(err.Error(), *pgURL))
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// The readiness line scripts wait for; it goes to stdout (all logs go to
	// stderr) and never contains the PostgreSQL URL. "-listen 127.0.0.1:0"
	// prints the real port.
	if frontListener != nil {
		fmt.Printf("ferretdb-dev listening on %s (handler=%s, commands serialized)\n", frontListener.Addr(), *handler)
	} else {
		addr := strings.TrimSuffix(strings.TrimPrefix(f.MongoDBURI(), "mongodb://"), "/")
		fmt.Printf("ferretdb-dev listening on %s (handler=%s, direct: NOT serialized)\n", addr, *handler)
	}

	go func() {
		<-ctx.Done()
		// Restore default signal handling: a second Ctrl-C kills at once
		// instead of waiting for FerretDB's graceful connection drain.
		stop()
	}()

	frontDone := make(chan error, 1)
	if frontListener != nil {
		fr := &front{upstream: cfg.Listener.Unix, log: logger}
		go func() { frontDone <- fr.serve(ctx, frontListener) }()
	} else {
		frontDone <- nil
	}

	// Run returns after ctx is cancelled and connections/backend are closed.
	if err := f.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(os.Stderr, "ferretdb-dev: %s\n", redact(err.Error(), *pgURL))
		return 1
	}
	if err := <-frontDone; err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-dev: front: %v\n", err)
		return 1
	}
	return 0
}

// quietResponses demotes FerretDB's per-request "Response header:" /
// "Response message:" records from WARN to DEBUG. FerretDB logs the whole
// wire message at WARN whenever a command answers ok:0, which includes every
// expected error a test provokes (duplicate key, NotImplemented, ...): that is
// noise at the default level, and the dumped bodies can carry document data.
// ERROR records (the connection is being closed) are left alone.
type quietResponses struct{ slog.Handler }

func (h quietResponses) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelError &&
		(strings.HasPrefix(r.Message, "Response header: ") || strings.HasPrefix(r.Message, "Response message:")) {
		if !h.Handler.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		r.Level = slog.LevelDebug
	}
	return h.Handler.Handle(ctx, r)
}

// FerretDB derives per-connection loggers with With(...); keep the wrapper.
func (h quietResponses) WithAttrs(as []slog.Attr) slog.Handler {
	return quietResponses{h.Handler.WithAttrs(as)}
}

func (h quietResponses) WithGroup(name string) slog.Handler {
	return quietResponses{h.Handler.WithGroup(name)}
}

// redact removes the PostgreSQL password (and userinfo) from an error message,
// in case a driver error ever echoes the connection string back.
func redact(msg, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return msg
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return msg
}
