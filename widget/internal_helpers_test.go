package widget

// compileCondition is compileCond returning a plain error, the way the
// condition tests inspect problems.
func compileCondition(c Condition) (*cond, error) {
	cc, err := compileCond(c, false)
	if err != nil {
		return nil, err
	}
	return cc, nil
}
