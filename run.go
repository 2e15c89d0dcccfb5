package main

import (
	"errors"
	"io"
)

func cmdRun(args []string, stderr io.Writer) error {
	return errors.New("the WhatsApp connection is not built yet; use `law simulate`")
}

func cmdLogout(args []string, stderr io.Writer) error {
	return errors.New("the WhatsApp connection is not built yet")
}
