package sim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// BenchmarkSimulateBinary runs the real binary, `law simulate`, on 100 and on 10,000 applicants
// who each write the whole booking flow (7 messages), with a quota of 999 a day for 25 days
// ahead, side by side in one run with the bare single-row commit rate of the same disk. It
// reports messages per second at each size, their ratio (flat in N is 1), and the large run's
// rate over the bare commit rate.
//
//	go test ./sim -run '^$' -bench BenchmarkSimulateBinary -benchtime 1x -count 3
func BenchmarkSimulateBinary(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "law")
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	build := exec.Command(gobin, "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("[queue]\ndaily_quota = 999\ndays_ahead = 25\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	inputs := map[int]string{}
	for _, n := range []int{100, 10000} {
		inputs[n] = filepath.Join(dir, fmt.Sprintf("in-%d.jsonl", n))
		if err := os.WriteFile(inputs[n], simInput(n), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < b.N; i++ {
		run := func(n int) float64 {
			db := filepath.Join(b.TempDir(), "law.db")
			in, err := os.Open(inputs[n])
			if err != nil {
				b.Fatal(err)
			}
			defer in.Close()
			cmd := exec.Command(bin, "simulate", "-config", cfg, "-db", db, "-now", "2026-12-01T07:00:00+07:00")
			var stderr bytes.Buffer
			cmd.Stdin, cmd.Stdout, cmd.Stderr = in, io.Discard, &stderr
			begin := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatalf("law simulate on %d applicants: %v\n%s", n, err, stderr.String())
			}
			return float64(n*7) / time.Since(begin).Seconds()
		}
		bare := bareWriteRate(b, b.TempDir())
		small, large := run(100), run(10000)
		b.ReportMetric(small, "n100-msgs/s")
		b.ReportMetric(large, "n10000-msgs/s")
		b.ReportMetric(large/small, "n10000/n100")
		b.ReportMetric(bare, "bare-tx/s")
		b.ReportMetric(large/bare, "n10000/bare")
	}
}

// simInput is n applicants' whole booking flow as `law simulate` input, one applicant after the
// other (each applicant's messages in order, as a chat keeps them).
func simInput(n int) []byte {
	var buf bytes.Buffer
	for a := range n {
		phone := fmt.Sprintf("62802%07d", a)
		for j, text := range []string{"halo", "1", "Pemohon " + letters(a), "1", "1", "1", "ya"} {
			line, _ := json.Marshal(map[string]string{"from": phone, "text": text, "id": fmt.Sprintf("S%d-%d", a, j)})
			buf.Write(line)
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes()
}
