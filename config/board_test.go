package config

import (
	"strings"
	"testing"
)

func TestBoardValidation(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		board Board
		want  string // "" when valid
	}{
		"off":              {Board{}, ""},
		"local":            {Board{Listen: "127.0.0.1:8080", Title: "Antrian", Counters: []string{"1", "2", "b"}}, ""},
		"all interfaces":   {Board{Listen: ":8080"}, ""},
		"host name":        {Board{Listen: "localhost:8080"}, ""},
		"ipv6":             {Board{Listen: "[::1]:8080"}, ""},
		"no port":          {Board{Listen: "127.0.0.1"}, "board.listen"},
		"port word":        {Board{Listen: "127.0.0.1:http-alt"}, "board.listen"},
		"port too big":     {Board{Listen: "127.0.0.1:70000"}, "board.listen"},
		"url":              {Board{Listen: "http://127.0.0.1:8080"}, "board.listen"},
		"long title":       {Board{Title: strings.Repeat("a", 61)}, "board.title"},
		"counter spaces":   {Board{Counters: []string{"loket 1"}}, "board.counters[0]"},
		"counter empty":    {Board{Counters: []string{"1", ""}}, "board.counters[1]"},
		"counter twice":    {Board{Counters: []string{"a", "A"}}, "board.counters[1]"},
		"counter too long": {Board{Counters: []string{"123456789"}}, "board.counters[0]"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := Default()
			c.Board = tc.board
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%+v: %v", tc.board, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%+v: %v, want an error naming %s", tc.board, err, tc.want)
			}
		})
	}
}
