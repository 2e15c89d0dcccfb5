package bot

// StaffTx is what the staff commands need beyond CoreTx.
type StaffTx interface{}
