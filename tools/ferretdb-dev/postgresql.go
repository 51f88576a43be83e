package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// FerretDB v1's postgresql handler keeps every MongoDB database as a schema
// of the ONE PostgreSQL database its URL names, and that database must exist.
// Pointing it at a shared database (postgres, say) would mix the dev server's
// schemas with whatever else lives there, so callers name a database of their
// own and say how it is to be had:
//
//	existing   use it as it is (FerretDB's own behaviour)
//	create     create it when missing, keep it afterwards (make launch)
//	temporary  create it, refusing one that already exists, and drop it when
//	           the server stops (a test run's database)
//	drop       drop it (when there) and exit without serving: make clean-data
//
// Creating and dropping happen on the same server through its maintenance
// database (postgres, else template1), with the URL's credentials.
const (
	pgExisting  = "existing"
	pgCreate    = "create"
	pgTemporary = "temporary"
	pgDrop      = "drop"
)

// PostgreSQL error codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const (
	pgInvalidCatalogName = "3D000" // the database does not exist
	pgDuplicateDatabase  = "42P04"
)

// preparePostgreSQL makes the URL's database ready according to mode and
// returns what to do when the server stops (nil: nothing).
func preparePostgreSQL(ctx context.Context, rawURL, mode string) (func() error, error) {
	if mode != pgExisting && mode != pgCreate && mode != pgTemporary && mode != pgDrop {
		return nil, fmt.Errorf("unknown -postgresql-database %q (want existing, create, temporary or drop)", mode)
	}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, errors.New("the PostgreSQL URL does not parse") // the error could echo a password
	}
	name := cfg.Database
	if mode == pgExisting {
		return nil, nil
	}
	if name == "" || name == "postgres" || name == "template0" || name == "template1" {
		return nil, fmt.Errorf("-postgresql-database %s needs a database of its own in the URL, not %q", mode, name)
	}

	ident := pgx.Identifier{name}.Sanitize()
	if mode == pgDrop {
		return nil, dropDatabase(cfg, ident)
	}

	conn, err := connectMaintenance(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())

	_, err = conn.Exec(ctx, "CREATE DATABASE "+ident)
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
	case errors.As(err, &pgErr) && pgErr.Code == pgDuplicateDatabase && mode == pgCreate:
		return nil, nil // kept from an earlier launch, or created by a concurrent one
	case errors.As(err, &pgErr) && pgErr.Code == pgDuplicateDatabase:
		return nil, fmt.Errorf("PostgreSQL database %q already exists: a temporary database must be new", name)
	default:
		return nil, fmt.Errorf("create PostgreSQL database %q: %w", name, err)
	}
	if mode == pgCreate {
		return nil, nil
	}
	return func() error { return dropDatabase(cfg, ident) }, nil
}

// connectMaintenance connects to the server of cfg through a database that
// always exists, to create or drop cfg's own.
func connectMaintenance(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	var lastErr error
	for _, db := range []string{"postgres", "template1"} {
		c := cfg.Copy()
		c.Database = db
		conn, err := pgx.ConnectConfig(ctx, c)
		if err == nil {
			return conn, nil
		}
		lastErr = err
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != pgInvalidCatalogName {
			break
		}
	}
	return nil, fmt.Errorf("connect to PostgreSQL at %s:%d as %q: %w", cfg.Host, cfg.Port, cfg.User, lastErr)
}

// dropDatabase drops a temporary database once FerretDB has closed its pool.
// WITH (FORCE) (PostgreSQL 13+) ends connections FerretDB may have left.
func dropDatabase(cfg *pgx.ConnConfig, ident string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := connectMaintenance(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop PostgreSQL database %s: %w", ident, err)
	}
	return nil
}
