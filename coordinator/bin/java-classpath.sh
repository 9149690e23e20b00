# Sourced by the coordinatool launchers: sets JAVA_CMD and CLASSPATH_ARG, or exits with a message.
# Usage: coordinatool_setup PROGRAM SCRIPT [MODULE_JAR]
# Layouts: a distribution (bin/ next to lib/ holding every jar) or a Maven module (SCRIPT in
# <module>/bin, target/MODULE_JAR-*.jar plus target/lib/* from "mvn package"). MODULE_JAR
# defaults to coordinatool-coordinator.

coordinatool_setup() {
	local prog=$1 module=${3:-coordinatool-coordinator} bin dir jar

	bin=$(cd "$(dirname "$(readlink -f "$2")")" && pwd)
	if [[ -d $bin/../lib ]]; then
		CLASSPATH_ARG="$bin/../lib/*"
	else
		dir=$bin/../target
		jar=
		for f in "$dir/$module"-*.jar; do
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
	LAUNCHER_DIR=$bin
}
