package main

import (
	"strings"

	"github.com/FerretDB/wire"
	"github.com/FerretDB/wire/wirebson"
)

// withoutClientMetadata drops the `client` field of a hello/isMaster request.
//
// Every driver connection sends its metadata in its first hello. FerretDB
// accepts that once per connection and refuses it after (code 186), so over
// the front's single upstream connection the second client's handshake would
// fail. The metadata is informational (the server only logs it), so dropping
// it loses nothing. Other requests are returned unchanged.
func withoutClientMetadata(header *wire.MsgHeader, body wire.MsgBody) (*wire.MsgHeader, wire.MsgBody, error) {
	switch msg := body.(type) {
	case *wire.OpMsg:
		raw, err := msg.RawDocument()
		if err != nil {
			return header, body, nil // several sections: not a handshake
		}
		doc, err := raw.Decode()
		if err != nil || !isHandshake(doc) {
			return header, body, err
		}
		doc.Remove("client")
		rewritten, err := wire.NewOpMsg(doc)
		if err != nil {
			return nil, nil, err
		}
		// The original checksum covers the old bytes; the new message has none.
		rewritten.Flags = msg.Flags &^ wire.OpMsgFlags(wire.OpMsgChecksumPresent)
		return withLength(header, rewritten)

	case *wire.OpQuery:
		doc := msg.Query()
		if !isHandshake(doc) {
			return header, body, nil
		}
		doc.Remove("client")
		rewritten, err := wire.NewOpQuery(doc)
		if err != nil {
			return nil, nil, err
		}
		rewritten.FullCollectionName = msg.FullCollectionName
		rewritten.Flags = msg.Flags
		rewritten.NumberToSkip = msg.NumberToSkip
		rewritten.NumberToReturn = msg.NumberToReturn
		return withLength(header, rewritten)
	}
	return header, body, nil
}

func isHandshake(doc *wirebson.Document) bool {
	if doc == nil || doc.Get("client") == nil {
		return false
	}
	command := strings.ToLower(doc.Command())
	return command == "hello" || command == "ismaster"
}

// withLength copies header with the message length of the rewritten body.
func withLength(header *wire.MsgHeader, body wire.MsgBody) (*wire.MsgHeader, wire.MsgBody, error) {
	b, err := body.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	h := *header
	h.MessageLength = int32(len(b) + wire.MsgHeaderLen)
	return &h, body, nil
}
