package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/FerretDB/wire"
)

// front accepts MongoDB clients and passes their commands to the embedded
// FerretDB one at a time.
//
// Why: FerretDB v1 answers findAndModify with a read followed by a separate
// write by _id, so two commands running at once on two connections can both
// "claim" the same document. Serialized, every command sees the effects of
// the one before it, which makes findAndModify atomic for any number of
// clients (replicas, a rolling upgrade, two processes in a test), at the cost
// of no parallelism inside the dev server: a slow command delays the others.
//
// Each client gets an upstream connection of its own, so FerretDB keeps its
// per-connection state (handshake, cursors, which it closes when their
// connection ends); only the round trips are serialized, by one lock.
// Commands that touch no data (handshakes, heartbeats, pings) skip the lock:
// a driver declares a server down when its heartbeat goes unanswered for its
// connect timeout, and behind a long queue of claims it would.
type front struct {
	upstream string // FerretDB's own listener, reachable only from here
	log      *slog.Logger

	serial sync.Mutex // held for one data round trip; Go's mutex turns FIFO under contention
}

// controlCommands answer from server state only, so they may overlap data commands.
var controlCommands = map[string]bool{"hello": true, "ismaster": true, "ping": true, "buildinfo": true}

// serve accepts clients until ctx ends, then closes every client connection.
func (f *front) serve(ctx context.Context, ln net.Listener) error {
	var (
		clients sync.WaitGroup
		mu      sync.Mutex
		conns   = make(map[net.Conn]struct{})
		closing bool
	)
	// track registers a connection, or closes it at once when shutdown has begun.
	track := func(c net.Conn) bool {
		mu.Lock()
		defer mu.Unlock()
		if closing {
			c.Close()
			return false
		}
		conns[c] = struct{}{}
		return true
	}
	untrack := func(c net.Conn) {
		mu.Lock()
		delete(conns, c)
		mu.Unlock()
		c.Close()
	}
	go func() {
		<-ctx.Done()
		mu.Lock()
		closing = true
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		ln.Close()
	}()

	for backoff := time.Duration(0); ; {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				clients.Wait()
				return nil
			}
			// Out of file descriptors and the like: wait and try again, as
			// FerretDB's own listener does, rather than stop serving.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			f.log.Warn("accept failed, retrying", "err", err, "in", backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		if !track(c) {
			continue
		}
		clients.Add(1)
		go func() {
			defer clients.Done()
			defer untrack(c)
			f.relay(c, track, untrack)
		}()
	}
}

// relay passes one client's requests to an upstream connection of its own
// until either side closes.
func (f *front) relay(client net.Conn, track func(net.Conn) bool, untrack func(net.Conn)) {
	up, err := net.DialTimeout("unix", f.upstream, 10*time.Second)
	if err != nil {
		f.log.Warn("cannot reach FerretDB, closing the client connection", "err", err)
		return
	}
	if !track(up) {
		return
	}
	defer untrack(up)

	cr, cw := bufio.NewReader(client), bufio.NewWriter(client)
	ur, uw := bufio.NewReader(up), bufio.NewWriter(up)
	for {
		header, body, err := wire.ReadMessage(cr)
		if err != nil {
			if !errors.Is(err, wire.ErrZeroRead) && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				f.log.Debug("client request unreadable, closing its connection", "err", err)
			}
			return
		}
		resHeader, resBody, err := f.roundTrip(uw, ur, header, body)
		if err != nil {
			// The client cannot tell which command failed otherwise; closing is
			// what a real server does when a connection breaks mid-command.
			f.log.Warn("upstream round trip failed, closing the client connection", "err", err)
			return
		}
		if msg, ok := body.(*wire.OpMsg); ok && msg.Flags.FlagSet(wire.OpMsgMoreToCome) {
			continue // the client asked for no reply (FerretDB sends one anyway)
		}
		if err := wire.WriteMessage(cw, resHeader, resBody); err != nil {
			return
		}
		if err := cw.Flush(); err != nil {
			return
		}
	}
}

// roundTrip sends one request upstream and reads its reply; data commands
// hold the front's one lock for the whole exchange.
func (f *front) roundTrip(w *bufio.Writer, r *bufio.Reader, header *wire.MsgHeader, body wire.MsgBody) (*wire.MsgHeader, wire.MsgBody, error) {
	if !controlCommands[strings.ToLower(commandName(body))] {
		f.serial.Lock()
		defer f.serial.Unlock()
	}
	if err := wire.WriteMessage(w, header, body); err != nil {
		return nil, nil, fmt.Errorf("send to FerretDB: %w", err)
	}
	if err := w.Flush(); err != nil {
		return nil, nil, fmt.Errorf("send to FerretDB: %w", err)
	}
	return wire.ReadMessage(r)
}

// commandName is the first key of a command: an OP_MSG's body, or an
// OP_QUERY's query (drivers' legacy handshake).
func commandName(body wire.MsgBody) (name string) {
	defer func() {
		if recover() != nil {
			name = "" // Query() panics on a malformed document; FerretDB will answer it
		}
	}()
	switch msg := body.(type) {
	case *wire.OpMsg:
		return firstKey(msg.RawSection0())
	case *wire.OpQuery:
		return msg.Query().Command()
	}
	return ""
}

// firstKey reads the first element name of a BSON document without decoding
// it: 4 bytes of length, 1 byte of type, then the name up to a NUL.
func firstKey(doc []byte) string {
	if len(doc) < 6 {
		return ""
	}
	if end := bytes.IndexByte(doc[5:], 0); end >= 0 {
		return string(doc[5 : 5+end])
	}
	return ""
}
