package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"law/bot"
)

// SaveInbound writes an incoming message to the inbox. It returns false when the id is already
// there (a redelivery, before or after a restart), and an error when the write failed, in which
// case the message must not be acknowledged.
func (d *DB) SaveInbound(ctx context.Context, in bot.Incoming) (bool, error) {
	fresh, err := d.SaveInboundAll(ctx, []bot.Incoming{in})
	if err != nil {
		return false, err
	}
	return fresh[0], nil
}

// SaveInboundAll writes a batch of incoming messages to the inbox in one commit; fresh[i] is false
// when ins[i]'s id is already there. On an error nothing of the batch is written.
func (d *DB) SaveInboundAll(ctx context.Context, ins []bot.Incoming) (fresh []bool, err error) {
	fresh = make([]bool, len(ins))
	err = d.write(ctx, func(t *tx) error {
		for i, in := range ins {
			res, err := t.exec(`INSERT INTO inbox (id, phone, lid, chat, text, media, received_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				in.ID, in.Phone, in.LID, in.Chat, in.Text, boolInt(in.Media), ms(in.At))
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			fresh[i] = n == 1
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save incoming messages: %w", err)
	}
	return fresh, nil
}

// Unhandled returns the inbox messages not yet handled, oldest first: the work a crash left.
func (d *DB) Unhandled(ctx context.Context) ([]bot.Incoming, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, phone, lid, chat, text, media, received_at FROM inbox
		WHERE handled_at IS NULL ORDER BY received_at, rowid`)
	if err != nil {
		return nil, fmt.Errorf("list unhandled messages: %w", err)
	}
	defer rows.Close()
	var out []bot.Incoming
	for rows.Next() {
		var in bot.Incoming
		var media int
		var at int64
		if err := rows.Scan(&in.ID, &in.Phone, &in.LID, &in.Chat, &in.Text, &media, &at); err != nil {
			return nil, fmt.Errorf("list unhandled messages: %w", err)
		}
		in.Media, in.At = media == 1, fromMS(at)
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list unhandled messages: %w", err)
	}
	return out, nil
}

// Pending returns up to limit unsent outbox messages queued after seq after, in the order they
// were queued. Writers take turns (BEGIN IMMEDIATE), so positions are given in commit order and a
// reader that remembers the last one it saw misses nothing.
func (d *DB) Pending(ctx context.Context, after int64, limit int) ([]bot.Outgoing, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT seq, id, chat, phone, text, bulk, created_at, attempts,
		rank_at FROM outbox WHERE sent_at IS NULL AND failed = 0 AND seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list pending messages: %w", err)
	}
	defer rows.Close()
	var out []bot.Outgoing
	for rows.Next() {
		var o bot.Outgoing
		var bulk int
		var at, rank int64
		if err := rows.Scan(&o.Seq, &o.ID, &o.Chat, &o.Phone, &o.Text, &bulk, &at, &o.Attempts, &rank); err != nil {
			return nil, fmt.Errorf("list pending messages: %w", err)
		}
		o.Bulk, o.CreatedAt, o.Rank = bulk == 1, fromMS(at), fromMS(rank)
		if o.Rank.IsZero() {
			o.Rank = o.CreatedAt
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list pending messages: %w", err)
	}
	return out, nil
}

// MarkSent records that a message went out.
func (d *DB) MarkSent(ctx context.Context, id string, at time.Time) error {
	return d.MarkSentAll(ctx, map[string]time.Time{id: at})
}

// MarkSentAll records that messages went out, each at its time, in one write: the sender groups
// its marks, so that a durable commit is paid once for many messages. Nothing is recorded when it
// returns an error.
func (d *DB) MarkSentAll(ctx context.Context, sent map[string]time.Time) error {
	if len(sent) == 0 {
		return nil
	}
	if err := d.write(ctx, func(t *tx) error {
		for id, at := range sent {
			if _, err := t.exec(`UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?`,
				ms(at), id); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("mark %d messages sent: %w", len(sent), err)
	}
	return nil
}

// MarkFailed records a failed attempt; giveUp stops further attempts.
func (d *DB) MarkFailed(ctx context.Context, id string, cause error, giveUp bool) error {
	if err := d.write(ctx, func(t *tx) error {
		_, err := t.exec(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, failed = ? WHERE id = ?`,
			cause.Error(), boolInt(giveUp), id)
		return err
	}); err != nil {
		return fmt.Errorf("mark message failed: %w", err)
	}
	return nil
}

// SentText returns the text of an outbox message by id, for answering a recipient's retry request.
func (d *DB) SentText(ctx context.Context, id string) (chat, text string, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT chat, text FROM outbox WHERE id = ?`, id).Scan(&chat, &text)
	if err != nil {
		return "", "", fmt.Errorf("look up sent message: %w", err)
	}
	return chat, text, nil
}

// Setting returns a stored setting, "" when unset.
func (d *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := d.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores a setting.
func (d *DB) SetSetting(ctx context.Context, key, value string) error {
	if err := d.write(ctx, func(t *tx) error {
		_, err := t.exec(`INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	}); err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}
