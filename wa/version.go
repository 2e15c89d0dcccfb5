package wa

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
)

// Settings keeps small values in the bot's own database; *store.DB is one.
type Settings interface {
	// Setting returns a stored value, "" when unset.
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// VersionKey is the bot database's setting that remembers the WhatsApp Web version learnt after
// WhatsApp refused the built-in one, so that the next start uses it at once.
const VersionKey = "wa_version"

// FetchVersion returns the current WhatsApp Web client version.
type FetchVersion func(ctx context.Context) (store.WAVersionContainer, error)

// LatestVersion asks web.whatsapp.com for the current client version (whatsmeow.GetLatestVersion).
func LatestVersion(ctx context.Context) (store.WAVersionContainer, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := whatsmeow.GetLatestVersion(ctx, http.DefaultClient)
	if err != nil {
		return store.WAVersionContainer{}, fmt.Errorf("ask web.whatsapp.com for the current version: %w", err)
	}
	return *v, nil
}

// ErrNoNewerVersion is returned by RefreshVersion when WhatsApp's current version is not newer than
// the one in use: only a newer whatsmeow (a rebuilt LAW) can help then.
var ErrNoNewerVersion = errors.New("WhatsApp offers no newer client version than the one in use")

// ApplySavedVersion applies the version remembered in the bot's database when it is newer than the
// one built in; a LAW rebuilt with a newer whatsmeow keeps its own. It returns the version in use,
// and an error only when the database cannot be read.
func ApplySavedVersion(ctx context.Context, s Settings) (store.WAVersionContainer, error) {
	saved, err := s.Setting(ctx, VersionKey)
	if err != nil {
		return store.GetWAVersion(), err
	}
	if saved == "" {
		return store.GetWAVersion(), nil
	}
	v, err := store.ParseVersion(saved)
	if err != nil {
		// A damaged setting only costs one "outdated" round trip; the refresh overwrites it.
		return store.GetWAVersion(), nil
	}
	if store.GetWAVersion().LessThan(v) {
		store.SetWAVersion(v)
	}
	return store.GetWAVersion(), nil
}

// RefreshVersion fetches WhatsApp's current client version, applies it, and remembers it in the
// bot's database for the next start. It returns the version now in use; ErrNoNewerVersion when
// there is nothing newer; the fetch's error when WhatsApp could not be asked. A failure to remember
// the version is returned too, but the new version is in use all the same.
func RefreshVersion(ctx context.Context, fetch FetchVersion, s Settings) (store.WAVersionContainer, error) {
	cur := store.GetWAVersion()
	latest, err := fetch(ctx)
	if err != nil {
		return cur, err
	}
	if !cur.LessThan(latest) {
		return cur, fmt.Errorf("%w (in use %s, offered %s)", ErrNoNewerVersion, cur, latest)
	}
	store.SetWAVersion(latest)
	if err := s.SetSetting(ctx, VersionKey, latest.String()); err != nil {
		return latest, fmt.Errorf("remember WhatsApp version %s: %w", latest, err)
	}
	return latest, nil
}
