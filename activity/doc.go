package activity

import (
	"maps"

	"conflicto/apidoc"
)

// TypeSchemas is the JSON of one activity type, for the API reference
// (package openapi): each type's file says what its config, answers and
// results look like, from its own Go types where it has them.
type TypeSchemas struct {
	Type Type
	// Config is activities.config as a client sends it (the required keys
	// are the ones without a default) and as it is stored, defaults filled in.
	Config apidoc.Schema
	// Public is the part of the config the live document shows.
	Public apidoc.Schema
	// Value is responses.value.
	Value apidoc.Schema
	// Results are the type's keys of a results document.
	Results apidoc.Schema
}

// Schemas lists the schemas of every type, in the order of Types.
func Schemas() []TypeSchemas {
	out := make([]TypeSchemas, len(registry))
	for i, s := range registry {
		out[i] = s.schemas()
		out[i].Type = s.typ
	}
	return out
}

// withRequired returns an object schema with only names required.
func withRequired(s apidoc.Schema, names ...string) apidoc.Schema {
	out := maps.Clone(s)
	delete(out, "required")
	if len(names) > 0 {
		out["required"] = names
	}
	return out
}

// pick returns the object schema s with only the properties named, the
// ones in required always present; the object is open, as the live
// document puts these keys beside the activity's own.
func pick(s apidoc.Schema, required []string, optional ...string) apidoc.Schema {
	all := s["properties"].(apidoc.Props)
	props := apidoc.Props{}
	for _, name := range append(append([]string{}, required...), optional...) {
		props[name] = all[name]
	}
	return open(apidoc.Object(props, required...))
}

// withProp returns the object schema s with the property name replaced.
func withProp(s apidoc.Schema, name string, p apidoc.Schema) apidoc.Schema {
	props := maps.Clone(s["properties"].(apidoc.Props))
	props[name] = p
	return s.With("properties", props)
}

// open returns an object schema that allows other members: a type's
// results share their object with the keys every results document has.
func open(s apidoc.Schema) apidoc.Schema {
	out := maps.Clone(s)
	delete(out, "additionalProperties")
	return out
}

func pollSchemas() TypeSchemas {
	cfg := apidoc.Of(pollConfig{})
	return TypeSchemas{
		Config: withRequired(cfg, "options"),
		Public: pick(cfg, []string{"options", "multiple", "max_choices", "live_results"}),
		Value:  apidoc.Of(pollValue{}),
		Results: open(apidoc.Object(apidoc.Props{
			"counts": apidoc.Array(apidoc.Integer()).Doc("Choices per option, in option order."),
			"voters": apidoc.Integer().Doc("Answers counted."),
		}, "counts", "voters")),
	}
}

func pokerSchemas() TypeSchemas {
	cfg := apidoc.Of(pokerConfig{})
	return TypeSchemas{
		Config: withRequired(cfg),
		Public: pick(cfg, []string{"deck"}),
		Value:  apidoc.Of(pokerValue{}),
		Results: open(apidoc.Object(apidoc.Props{
			"voters":       apidoc.Integer().Doc("Votes cast. Before the reveal, the only key."),
			"votes":        apidoc.Array(apidoc.Of(pokerVote{})).Doc("After the reveal: who voted what, by nickname."),
			"distribution": apidoc.MapOf(apidoc.Integer()).Doc("After the reveal: {card: count} over the whole deck, in deck order."),
			"average":      apidoc.Nullable(apidoc.Number()).Doc("After the reveal: the mean of the numeric cards voted; null without one."),
			"median":       apidoc.Nullable(apidoc.Number()).Doc("After the reveal: the median of the numeric cards voted; null without one."),
			"consensus":    apidoc.Boolean().Doc("After the reveal: at least one numeric vote and all numeric votes equal."),
		}, "voters")),
	}
}

func quizSchemas() TypeSchemas {
	cfg := apidoc.Of(quizConfig{})
	correct := cfg["properties"].(apidoc.Props)["correct"]
	cfg = withProp(cfg, "correct", apidoc.AnyOf(apidoc.Integer().With("minimum", 0), correct.With("minItems", 1)).Doc(correct["description"].(string)))
	return TypeSchemas{
		Config: withRequired(cfg, "options", "correct"),
		Public: pick(cfg, []string{"options", "time_limit_s", "points"}, "correct"),
		Value:  apidoc.Of(quizValue{}),
		Results: open(apidoc.Object(apidoc.Props{
			"counts":        apidoc.Array(apidoc.Integer()).Doc("Answers per option, in option order."),
			"answered":      apidoc.Integer().Doc("Answers counted."),
			"correct_count": apidoc.Integer().Doc("Right answers."),
			"correct":       apidoc.Array(apidoc.Integer()).Doc("After the reveal: the right option indexes."),
		}, "counts", "answered", "correct_count")),
	}
}

func wordcloudSchemas() TypeSchemas {
	cfg := apidoc.Of(wordcloudConfig{})
	return TypeSchemas{
		Config: withRequired(cfg),
		Public: pick(cfg, []string{"max_words", "max_length"}),
		Value:  apidoc.Of(wordcloudValue{}),
		Results: open(apidoc.Object(apidoc.Props{
			"words": apidoc.Array(apidoc.Of(wordCount{})).Doc("The top 100 words by count, then text."),
		}, "words")),
	}
}

func qaSchemas() TypeSchemas {
	cfg := apidoc.Of(qaConfig{})
	return TypeSchemas{
		Config: withRequired(cfg),
		Public: pick(cfg, []string{"moderated", "max_length", "anonymous", "max_questions"}),
		Value:  apidoc.Schema{"not": apidoc.Schema{}}.Doc("A Q&A takes no answers (400 questions_only): questions are records of the questions collection."),
		Results: open(apidoc.Object(apidoc.Props{
			"questions": apidoc.Array(apidoc.Of(publicQuestion{})).Doc("The public questions (visible and answered), pinned first, then by votes, then by time; at most 200."),
			"public":    apidoc.Integer().Doc("How many questions are public."),
		}, "questions", "public")),
	}
}
