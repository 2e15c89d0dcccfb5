package wa

import (
	"context"
	"errors"
	"fmt"

	"go.mau.fi/whatsmeow/types"

	"law/logmask"
)

// LIDLookup finds the LID of a phone number; whatsmeow's device store (client.Store.LIDs) is one.
// It returns an empty JID and no error when the number is unknown.
type LIDLookup interface {
	GetLIDForPN(ctx context.Context, pn types.JID) (types.JID, error)
}

// UserInfoFunc asks WhatsApp about users; (*whatsmeow.Client).GetUserInfo is one. It also teaches
// the device store the LIDs it learns.
type UserInfoFunc func(ctx context.Context, jids []types.JID) (map[types.JID]types.UserInfo, error)

// ResolveStaffLIDs maps each staff phone number's LID (user part) to the number: first from the
// device store, then by asking WhatsApp for the numbers the store does not know. A number whose
// LID cannot be found is left out, so a message from that LID is not taken for staff. The map holds
// what was found even when an error is returned.
func ResolveStaffLIDs(ctx context.Context, phones []string, lids LIDLookup, info UserInfoFunc) (map[string]string, error) {
	out := make(map[string]string, len(phones))
	var missing []types.JID
	var errs []error
	for _, p := range phones {
		pn := types.NewJID(p, types.DefaultUserServer)
		lid, err := lids.GetLIDForPN(ctx, pn)
		if err != nil {
			errs = append(errs, fmt.Errorf("look up the LID of %s: %w", logmask.Phone(p), err))
		}
		if lid.Server == types.HiddenUserServer && lid.User != "" {
			out[lid.User] = p
			continue
		}
		missing = append(missing, pn)
	}
	if len(missing) > 0 && info != nil {
		users, err := info(ctx, missing)
		if err != nil {
			errs = append(errs, fmt.Errorf("ask WhatsApp for %d staff LIDs: %s", len(missing), logmask.Text(err.Error())))
		}
		for _, pn := range missing {
			if u, ok := users[pn]; ok && u.LID.Server == types.HiddenUserServer && u.LID.User != "" {
				out[u.LID.User] = pn.User
			}
		}
	}
	return out, errors.Join(errs...)
}
