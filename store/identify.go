package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// ApplicationID marks a SQLite file as LAW's database, in the header field SQLite keeps for that
// (PRAGMA application_id): "LAW!" in ASCII.
const ApplicationID = 0x4C415721

// ErrNotLAW is returned by Open for a file that holds another program's tables, such as
// WhatsApp's session file: LAW would otherwise add its tables to it.
var ErrNotLAW = errors.New("not a LAW database")

// ErrIsLAW is returned by CheckNotLAW for LAW's own database given where another file belongs.
var ErrIsLAW = errors.New("this is LAW's own database")

// Kind is what a database file holds, as far as LAW can tell.
type Kind int

// The kinds of file Identify tells apart.
const (
	KindNew     Kind = iota // missing, empty, or a database without tables
	KindLAW                 // LAW's database: its application id, or its tables at version 1 or later
	KindSession             // whatsmeow's session (whatsmeow_* tables)
	KindOther               // another program's database
)

// lawTables are tables every LAW schema has had since version 1.
var lawTables = []string{"bookings", "conversations", "inbox", "outbox", "settings"}

// Identify tells what the SQLite file at path holds, reading it without changing it (no journal
// mode or other pragma is applied). detail names a few of another program's tables. It returns an
// error when the file exists but cannot be read as a database.
func Identify(ctx context.Context, path string) (kind Kind, detail string, err error) {
	if fi, err := os.Stat(path); errors.Is(err, os.ErrNotExist) || err == nil && fi.Size() == 0 {
		return KindNew, "", nil
	}
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return 0, "", fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var appID, version int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, "", fmt.Errorf("read %s: %w", path, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, "", fmt.Errorf("read %s: %w", path, err)
	}
	rows, err := db.QueryContext(ctx, identifySQL)
	if err != nil {
		return 0, "", fmt.Errorf("read %s: %w", path, err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return 0, "", fmt.Errorf("read %s: %w", path, err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, "", fmt.Errorf("read %s: %w", path, err)
	}
	session := slices.ContainsFunc(tables, func(t string) bool { return strings.HasPrefix(t, "whatsmeow_") })
	law := version >= 1 && !slices.ContainsFunc(lawTables, func(t string) bool { return !slices.Contains(tables, t) })
	switch {
	case appID == ApplicationID:
		return KindLAW, "", nil
	case appID != 0:
		return KindOther, fmt.Sprintf("its application id is %#x", appID), nil
	case len(tables) == 0:
		return KindNew, "", nil
	case session:
		return KindSession, "", nil
	case law:
		return KindLAW, "", nil
	}
	if len(tables) > 3 {
		tables = append(tables[:3], "…")
	}
	return KindOther, "it holds the tables " + strings.Join(tables, ", "), nil
}

// checkLAW refuses a file that is not LAW's database and not new.
func checkLAW(ctx context.Context, path string) error {
	kind, detail, err := Identify(ctx, path)
	switch {
	case err != nil:
		return err
	case kind == KindSession:
		return fmt.Errorf("%s is %w: it is a WhatsApp session file (whatsmeow's tables); "+
			"give LAW's own database (database.path, -db), and keep the session in database.session_path", path, ErrNotLAW)
	case kind == KindOther:
		return fmt.Errorf("%s is %w (%s); give LAW's own database, or a new file", path, ErrNotLAW, detail)
	}
	return nil
}

// CheckNotLAW returns ErrIsLAW, wrapped with what to do, when the file at path is LAW's own
// database: the WhatsApp session must never be written into it, nor the queue deleted with a
// session that is thrown away to link again. It returns nil for any other file or none, and an
// error when the file cannot be read.
func CheckNotLAW(ctx context.Context, path string) error {
	kind, _, err := Identify(ctx, path)
	if err != nil {
		return err
	}
	if kind == KindLAW {
		return fmt.Errorf("%s: %w (the queue), not a WhatsApp session file: database.session_path must name "+
			"another file", path, ErrIsLAW)
	}
	return nil
}

// escapePath keeps a '#', '?' or '%' in a path from starting a URI's fragment, query or escape.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// identifySQL lists a database's own tables.
const identifySQL = `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`
