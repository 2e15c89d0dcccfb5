package wa

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	waLog "go.mau.fi/whatsmeow/util/log"

	"law/logmask"
)

// Logger adapts slog to whatsmeow's logger. Lines below min are dropped whatever slog would take:
// at debug level whatsmeow dumps whole frames, with numbers, names and more. Every line is masked.
type Logger struct {
	log    *slog.Logger
	min    slog.Level
	module string
}

// NewLogger returns whatsmeow's logger over log, passing lines at min and above.
func NewLogger(log *slog.Logger, min slog.Level) *Logger {
	return &Logger{log: log, min: min, module: "whatsmeow"}
}

// WhatsmeowLevel is the least level of whatsmeow's lines worth the operator's time: warnings, or
// info when LAW itself logs at debug.
func WhatsmeowLevel(appLevel slog.Level) slog.Level {
	if appLevel <= slog.LevelDebug {
		return slog.LevelInfo
	}
	return slog.LevelWarn
}

// connectionLines are the starts of whatsmeow's log formats about the connection coming and going.
// LAW says the same once per change of state, in words for the operator (conn.go), so these go to
// debug instead of repeating raw Go errors at every retry. They are matched on the format, which
// is code, never on the formatted error.
var connectionLines = []string{
	"Initial connection failed but reconnecting in background",
	"Error reconnecting after autoreconnect sleep",
	"Failed to reconnect after 515 code",
	"Error reading from websocket",
	"Error sending close to websocket",
	"Received stream end frame",
	"Failed to send keepalive",
	"Keepalive timed out",
	"Got 503 stream error",
	"Temporary ban connect failure",
	"Client outdated (405) connect failure",
	"Got %d/%s connect failure",
	"Failed to send post-connect passive IQ",
}

func (l *Logger) emit(level slog.Level, msg string, args []any) {
	demoted := false
	for _, c := range connectionLines {
		if level > slog.LevelDebug && strings.HasPrefix(msg, c) {
			demoted = true
			break
		}
	}
	switch {
	case demoted && l.min > slog.LevelInfo:
		return
	case demoted:
		// LAW itself logs at debug (whatsmeow's info lines pass): the detail is wanted.
		level = slog.LevelDebug
	case level < l.min:
		return
	}
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, logmask.Text(fmt.Sprintf(msg, args...)), "module", l.module)
}

// Errorf logs at error level.
func (l *Logger) Errorf(msg string, args ...any) { l.emit(slog.LevelError, msg, args) }

// Warnf logs at warn level.
func (l *Logger) Warnf(msg string, args ...any) { l.emit(slog.LevelWarn, msg, args) }

// Infof logs at info level.
func (l *Logger) Infof(msg string, args ...any) { l.emit(slog.LevelInfo, msg, args) }

// Debugf logs at debug level.
func (l *Logger) Debugf(msg string, args ...any) { l.emit(slog.LevelDebug, msg, args) }

// Sub returns a logger for a part of whatsmeow, named in the module attribute.
func (l *Logger) Sub(module string) waLog.Logger {
	return &Logger{log: l.log, min: l.min, module: l.module + "/" + module}
}
