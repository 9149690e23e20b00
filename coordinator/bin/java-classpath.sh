# Sourced by the coordinatool launchers: sets JAVA_CMD and CLASSPATH_ARG, or exits with a message.
# Layouts: a distribution (bin/ next to lib/ holding every jar) or the Maven module
# (target/coordinatool-coordinator-*.jar plus target/lib/* from "mvn package").

coordinatool_setup() {
	local prog=$1 bin dir jar

	bin=$(cd "$(dirname "$(readlink -f "$2")")" && pwd)
	if [[ -d $bin/../lib ]]; then
		CLASSPATH_ARG="$bin/../lib/*"
	else
		dir=$bin/../target
		jar=
		for f in "$dir"/coordinatool-coordinator-*.jar; do
			case $f in
			*-sources.jar | *-tests.jar | *-javadoc.jar) ;;
			*) [[ -f $f ]] && jar=$f ;;
			esac
		done
		if [[ -z $jar || ! -d $dir/lib ]]; then
			echo "$prog: no jars found in $bin/../lib or $dir; build with 'mvn -B -DskipTests package'" >&2
			exit 1
		fi
		CLASSPATH_ARG="$jar:$dir/lib/*"
	fi
	if [[ -n ${JAVA_HOME:-} ]]; then
		JAVA_CMD=$JAVA_HOME/bin/java
		if [[ ! -x $JAVA_CMD ]]; then
			echo "$prog: $JAVA_CMD not found or not executable (check JAVA_HOME)" >&2
			exit 1
		fi
	elif ! JAVA_CMD=$(command -v java); then
		echo "$prog: java not found: install Java 17 or later, or set JAVA_HOME" >&2
		exit 1
	fi
}
