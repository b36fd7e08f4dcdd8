#!/bin/sh
# Print the GRUB modules that loading each MODULE brings in: the modules
# themselves and, transitively, what DIR/moddep.lst says they depend on
# (GRUB's insmod loads a module's dependencies first, from the same
# folder).  The Makefile copies exactly these to the ISO.
# Usage: boot/grub-closure.sh DIR MODULE...
set -e
dir=$1
shift
want=$(printf '%s\n' "$@" | sort -u)
while :; do
    more=$(for m in $want; do
               echo "$m"
               sed -n "s/^$m://p" "$dir/moddep.lst" | tr ' ' '\n'
           done | sed '/^$/d' | sort -u)
    [ "$more" = "$want" ] && break
    want=$more
done
echo $want
