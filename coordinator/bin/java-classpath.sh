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
	coordinatool_check_java "$prog"
	LAUNCHER_DIR=$bin
}

# Refuses a Java older than 17 with a message rather than the JVM's UnsupportedClassVersionError.
# The release file of the Java installation names its version without starting a JVM; only an
# installation without one is asked with -version.
coordinatool_check_java() {
	local prog=$1 release version major
	release=$(dirname "$(dirname "$(readlink -f "$JAVA_CMD")")")/release
	if [[ -f $release ]]; then
		version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$release")
	else
		version=$("$JAVA_CMD" -version 2>&1 | sed -n 's/^.* version "\([^"]*\)".*$/\1/p' | head -n 1)
	fi
	# 1.8.0_402 is Java 8; 17.0.10 and 21 are Java 17 and 21.
	major=${version#1.}
	major=${major%%[!0-9]*}
	if [[ -z $major ]]; then
		echo "$prog: cannot tell which Java version $JAVA_CMD is; coordinatool needs Java 17 or later" >&2
		exit 1
	fi
	if ((major < 17)); then
		echo "$prog: $JAVA_CMD is Java $version; coordinatool needs Java 17 or later (set JAVA_HOME)" >&2
		exit 1
	fi
}
