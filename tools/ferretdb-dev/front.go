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
// FerretDB one at a time, over a single upstream connection.
//
// Why: FerretDB v1 answers findAndModify with a read followed by a separate
// write by _id, so two commands running at once on two connections can both
// "claim" the same document. Serialized, every command sees the effects of
// the one before it, which makes findAndModify atomic for any number of
// clients (replicas, a rolling upgrade, two processes in a test), at the cost
// of no parallelism inside the dev server: a slow command delays the others.
//
// Cursors and sessions keep working across clients because FerretDB keys
// cursors by user name, not by connection, and all clients share one
// upstream connection (and no user). Each reply goes back to the client
// that sent the request; its responseTo is that client's own requestID,
// because the request is forwarded unchanged.
//
// Commands that touch no data (handshakes, heartbeats, pings) take a second
// lane of their own: a driver declares a server down when its heartbeat goes
// unanswered for its connect timeout, and behind a long queue of claims it
// would.
type front struct {
	data    lane
	control lane
	log     *slog.Logger
}

func newFront(upstream string, log *slog.Logger) *front {
	return &front{data: lane{upstream: upstream}, control: lane{upstream: upstream}, log: log}
}

// controlCommands answer from server state only, so they may overlap data commands.
var controlCommands = map[string]bool{"hello": true, "ismaster": true, "ping": true, "buildinfo": true}

// lane is one upstream connection, used by one round trip at a time.
type lane struct {
	upstream string // FerretDB's own listener, reachable only from here

	mu sync.Mutex // held for one round trip; Go's mutex turns FIFO under contention
	up *upstreamConn
}

type upstreamConn struct {
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
}

// serve accepts clients until ctx ends, then closes every client connection.
func (f *front) serve(ctx context.Context, ln net.Listener) error {
	var clients sync.WaitGroup
	conns := make(map[net.Conn]struct{})
	var connsMu sync.Mutex

	go func() {
		<-ctx.Done()
		ln.Close()
		connsMu.Lock()
		for c := range conns {
			c.Close()
		}
		connsMu.Unlock()
	}()

	for {
		c, err := ln.Accept()
		if err != nil {
			clients.Wait()
			f.data.close()
			f.control.close()
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		connsMu.Lock()
		conns[c] = struct{}{}
		connsMu.Unlock()
		clients.Add(1)
		go func() {
			defer clients.Done()
			f.handle(c)
			connsMu.Lock()
			delete(conns, c)
			connsMu.Unlock()
			c.Close()
		}()
	}
}

// handle relays one client's requests until it disconnects.
func (f *front) handle(c net.Conn) {
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	for first := true; ; first = false {
		header, body, err := wire.ReadMessage(r)
		if err == nil && first {
			// Drivers send their metadata only in a connection's first hello.
			header, body, err = withoutClientMetadata(header, body)
		}
		if err != nil {
			if !errors.Is(err, wire.ErrZeroRead) && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				f.log.Debug("client request unreadable, closing its connection", "err", err)
			}
			return
		}
		lane := &f.data
		if controlCommands[strings.ToLower(commandName(body))] {
			lane = &f.control
		}
		resHeader, resBody, err := lane.roundTrip(header, body)
		if err != nil {
			// The client cannot tell which command failed otherwise; closing is
			// what a real server does when a connection breaks mid-command.
			f.log.Warn("upstream round trip failed, closing the client connection", "err", err)
			return
		}
		if msg, ok := body.(*wire.OpMsg); ok && msg.Flags.FlagSet(wire.OpMsgMoreToCome) {
			continue // the client asked for no reply (FerretDB sends one anyway)
		}
		if err := wire.WriteMessage(w, resHeader, resBody); err != nil {
			return
		}
		if err := w.Flush(); err != nil {
			return
		}
	}
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

// roundTrip sends one request upstream and reads its reply, holding the
// upstream connection for the whole exchange. A broken upstream connection
// is dropped and dialled again for the next command.
func (l *lane) roundTrip(header *wire.MsgHeader, body wire.MsgBody) (*wire.MsgHeader, wire.MsgBody, error) {
	l.mu.Lock()
	defer l.mu.Unlock()

	if l.up == nil {
		conn, err := net.DialTimeout("unix", l.upstream, 10*time.Second)
		if err != nil {
			return nil, nil, fmt.Errorf("dial FerretDB: %w", err)
		}
		l.up = &upstreamConn{conn: conn, r: bufio.NewReader(conn), w: bufio.NewWriter(conn)}
	}

	err := wire.WriteMessage(l.up.w, header, body)
	if err == nil {
		err = l.up.w.Flush()
	}
	var resHeader *wire.MsgHeader
	var resBody wire.MsgBody
	if err == nil {
		resHeader, resBody, err = wire.ReadMessage(l.up.r)
	}
	if err != nil {
		l.up.conn.Close()
		l.up = nil
		return nil, nil, err
	}
	return resHeader, resBody, nil
}

func (l *lane) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.up != nil {
		l.up.conn.Close()
		l.up = nil
	}
}
