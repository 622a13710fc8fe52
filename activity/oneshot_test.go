package activity

// One-shot forms of the Rules calls for the tables of this package's tests:
// parse the config, then ask (nil or false when it does not parse).

func ValidateAnswer(t Type, config []byte, value []byte, serverBlocklist []string) ([]byte, *Error) {
	r, err := Parse(t, config)
	if err != nil {
		return nil, err
	}
	a, err := r.Validate(value, serverBlocklist)
	if err != nil {
		return nil, err
	}
	return a.JSON, nil
}

func PublicConfig(t Type, config []byte, revealed bool) map[string]any {
	r, err := Parse(t, config)
	if err != nil {
		return nil
	}
	return r.Public(revealed)
}

func ResultsPublic(t Type, config []byte, revealed bool) bool {
	r, err := Parse(t, config)
	if err != nil {
		return revealed
	}
	return r.ResultsPublic(revealed)
}

func Results(t Type, config []byte, groups []Group, named []NamedAnswer, revealed bool) map[string]any {
	r, err := Parse(t, config)
	if err != nil {
		return nil
	}
	return r.Results(groups, named, revealed)
}
