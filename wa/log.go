package wa

import (
	"context"
	"fmt"
	"log/slog"

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

func (l *Logger) emit(level slog.Level, msg string, args []any) {
	if level < l.min || !l.log.Enabled(context.Background(), level) {
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
