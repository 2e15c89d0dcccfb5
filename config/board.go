package config

import (
	"net"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// board checks the [board] section: a listen address that parses as host:port, counters named as
// staff name them in /next (letters, digits and '-', at most 8), each once.
func (v *checker) board(b Board) {
	if b.Listen != "" {
		host, port, err := net.SplitHostPort(b.Listen)
		n, perr := strconv.Atoi(port)
		switch {
		case err != nil:
			v.add("board.listen", "%q is not host:port, such as \"127.0.0.1:8080\" (%v)", b.Listen, err)
		case perr != nil || n < 1 || n > 65535:
			v.add("board.listen", "%q: the port must be a number from 1 to 65535", b.Listen)
		case host != "" && net.ParseIP(host) == nil && strings.ContainsAny(host, " /"):
			v.add("board.listen", "%q: %q is not a host name or IP address", b.Listen, host)
		}
	}
	if utf8.RuneCountInString(b.Title) > 60 {
		v.add("board.title", "at most 60 characters, got %d", utf8.RuneCountInString(b.Title))
	}
	seen := map[string]bool{}
	for i, c := range b.Counters {
		key := "board.counters[" + strconv.Itoa(i) + "]"
		name := strings.ToUpper(strings.TrimSpace(c))
		ok := name != "" && utf8.RuneCountInString(name) <= 8
		for _, r := range name {
			ok = ok && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-')
		}
		switch {
		case !ok:
			v.add(key, "%q: a counter is named by letters, digits and '-', at most 8, as in /next 2", c)
		case seen[name]:
			v.add(key, "%q is listed twice", c)
		}
		seen[name] = true
	}
}
