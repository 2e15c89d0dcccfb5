//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"

	"law/wa"
)

// TestFirstStart tries the built binary as a new operator would, in an empty folder.
func TestFirstStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildLaw(t)

	t.Run("help", func(t *testing.T) {
		t.Parallel()
		for _, flag := range []string{"-h", "-help", "--help"} {
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, flag)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Errorf("law %s: %v\n%s", flag, err, stderr.String())
			}
			if out := stdout.String() + stderr.String(); !strings.Contains(out, "simulate") ||
				!strings.Contains(out, "export") || strings.Contains(out, "Usage of run") {
				t.Errorf("law %s printed:\n%s\nwant the commands", flag, out)
			}
		}
	})

	t.Run("run is quiet and private", func(t *testing.T) {
		// The umask is the process's: this subtest runs alone.
		old := syscall.Umask(0o022)
		defer syscall.Umask(old)
		dir := t.TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "run", "-db", filepath.Join(dir, "law.db"))
		cmd.Dir = dir
		// A file, not a buffer: the process writes it directly, and the test reads it meanwhile.
		out, err := os.Create(filepath.Join(t.TempDir(), "log"))
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		logged := func() string {
			b, _ := os.ReadFile(out.Name())
			return string(b)
		}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Without network it says it cannot reach WhatsApp; with network it shows a pairing code.
		for ctx.Err() == nil {
			s := logged()
			if strings.Contains(s, "cannot reach WhatsApp") || strings.Contains(s, "On the office phone") {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		// A few more seconds of retrying, then a clean stop.
		time.Sleep(3 * time.Second)
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("law run: %v", err)
		}
		log := logged()
		for _, noise := range []string{"days closed", "reminders queued", "pickup notices queued",
			"personal data erased", "module=whatsmeow"} {
			if strings.Contains(log, noise) {
				t.Errorf("the first start logged %q:\n%s", noise, log)
			}
		}
		if n := strings.Count(log, "cannot reach WhatsApp"); n > 1 {
			t.Errorf("%d lines say WhatsApp cannot be reached, want one:\n%s", n, log)
		}
		for _, name := range []string{"law.db", "law.db-wal", "law.db-shm", "whatsapp.db", "whatsapp.db-wal",
			"whatsapp.db-shm"} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if os.IsNotExist(err) && (strings.HasSuffix(name, "-wal") || strings.HasSuffix(name, "-shm")) {
				continue // checkpointed and removed at close
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want 0600", name, fi.Mode().Perm())
			}
		}

		// law simulate after a run that never linked: the session file exists but holds no device.
		sim := exec.Command(bin, "simulate", "-db", filepath.Join(dir, "law.db"))
		sim.Dir, sim.Stdin = dir, strings.NewReader("")
		if b, err := sim.CombinedOutput(); err != nil {
			t.Errorf("law simulate beside an unlinked session: %v\n%s", err, b)
		}

		// A linked session (a device with an ID) is refused.
		session, err := wa.OpenSession(context.Background(), filepath.Join(dir, "whatsapp.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		device := session.NewDevice()
		id := types.NewJID("628000000099", types.DefaultUserServer)
		device.ID = &id
		device.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{1}, AccountSignature: make([]byte, 64),
			AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
		if err := session.PutDevice(context.Background(), device); err != nil {
			t.Fatal(err)
		}
		session.Close()
		sim = exec.Command(bin, "simulate", "-db", filepath.Join(dir, "law.db"))
		sim.Dir, sim.Stdin = dir, strings.NewReader("")
		if b, err := sim.CombinedOutput(); err == nil || !strings.Contains(string(b), "linked WhatsApp session") {
			t.Errorf("law simulate beside a linked session: %v\n%s\nwant a refusal", err, b)
		}
	})
}
