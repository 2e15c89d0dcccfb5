package wa

import (
	"context"
	"errors"
	"testing"

	"go.mau.fi/whatsmeow/store"
)

type fakeSettings map[string]string

func (f fakeSettings) Setting(_ context.Context, key string) (string, error) { return f[key], nil }
func (f fakeSettings) SetSetting(_ context.Context, key, value string) error {
	f[key] = value
	return nil
}

// keepVersion restores whatsmeow's process-wide version after a test changed it.
func keepVersion(t *testing.T) store.WAVersionContainer {
	orig := store.GetWAVersion()
	t.Cleanup(func() { store.SetWAVersion(orig) })
	return orig
}

func fetchOf(v store.WAVersionContainer, err error) FetchVersion {
	return func(context.Context) (store.WAVersionContainer, error) { return v, err }
}

func TestRefreshVersion(t *testing.T) {
	orig := keepVersion(t)
	newer := store.WAVersionContainer{orig[0], orig[1], orig[2] + 1000}
	s := fakeSettings{}
	got, err := RefreshVersion(context.Background(), fetchOf(newer, nil), s)
	if err != nil || got != newer {
		t.Fatalf("got %s, %v; want %s", got, err, newer)
	}
	if store.GetWAVersion() != newer {
		t.Errorf("in use: %s, want %s", store.GetWAVersion(), newer)
	}
	if s[VersionKey] != newer.String() {
		t.Errorf("remembered %q, want %q", s[VersionKey], newer.String())
	}
}

func TestRefreshVersionNothingNewer(t *testing.T) {
	orig := keepVersion(t)
	s := fakeSettings{}
	_, err := RefreshVersion(context.Background(), fetchOf(orig, nil), s)
	if !errors.Is(err, ErrNoNewerVersion) {
		t.Errorf("err %v, want ErrNoNewerVersion", err)
	}
	if store.GetWAVersion() != orig || len(s) != 0 {
		t.Error("something changed although nothing newer was offered")
	}
}

func TestRefreshVersionFetchFails(t *testing.T) {
	orig := keepVersion(t)
	offline := errors.New("no route to host")
	got, err := RefreshVersion(context.Background(), fetchOf(store.WAVersionContainer{}, offline), fakeSettings{})
	if !errors.Is(err, offline) || got != orig || store.GetWAVersion() != orig {
		t.Errorf("got %s, %v; want the old version and the fetch's error", got, err)
	}
}

func TestApplySavedVersion(t *testing.T) {
	orig := keepVersion(t)
	newer := store.WAVersionContainer{orig[0], orig[1], orig[2] + 1}
	older := store.WAVersionContainer{orig[0], orig[1], orig[2] - 1}

	if got, err := ApplySavedVersion(context.Background(), fakeSettings{}); err != nil || got != orig {
		t.Errorf("nothing saved: %s, %v; want the built-in %s", got, err, orig)
	}
	if got, _ := ApplySavedVersion(context.Background(), fakeSettings{VersionKey: older.String()}); got != orig {
		t.Errorf("older saved: %s in use, want the built-in %s (a rebuilt LAW keeps its own)", got, orig)
	}
	if got, _ := ApplySavedVersion(context.Background(), fakeSettings{VersionKey: "garbage"}); got != orig {
		t.Errorf("garbage saved: %s in use, want %s", got, orig)
	}
	if got, _ := ApplySavedVersion(context.Background(), fakeSettings{VersionKey: newer.String()}); got != newer ||
		store.GetWAVersion() != newer {
		t.Errorf("newer saved: %s in use, want %s", got, newer)
	}
}
