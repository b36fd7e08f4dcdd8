/* vm-sort: a helper for vm-swap-sort.  `vm-sort SEED` fills a 128 KiB
   array of ints from a generator seeded with SEED, sorts it with a
   quicksort of its own, and exits with 0 when the result is in order and
   holds the same values (same sum and xor); otherwise it fails. */
#include "test.h"

#define N (32 * 1024)

static int arr[N];

static void
swap (int *a, int *b)
{
  int t = *a;
  *a = *b;
  *b = t;
}

static void
insertion_sort (int *a, size_t n)
{
  size_t i, j;
  for (i = 1; i < n; i++)
    {
      int v = a[i];
      for (j = i; j > 0 && a[j - 1] > v; j--)
        a[j] = a[j - 1];
      a[j] = v;
    }
}

/* Sorts A[0..N) in place: partition around the median of three, recurse
   into the smaller side, loop on the larger. */
static void
quicksort (int *a, size_t n)
{
  while (n > 16)
    {
      size_t mid = n / 2, i, j;
      int pivot;

      if (a[mid] < a[0])
        swap (&a[mid], &a[0]);
      if (a[n - 1] < a[0])
        swap (&a[n - 1], &a[0]);
      if (a[n - 1] < a[mid])
        swap (&a[n - 1], &a[mid]);
      pivot = a[mid];
      i = 0;
      j = n - 1;
      for (;;)
        {
          while (a[i] < pivot)
            i++;
          while (a[j] > pivot)
            j--;
          if (i >= j)
            break;
          swap (&a[i], &a[j]);
          i++;
          j--;
        }
      /* a[0..j] <= pivot <= a[j+1..n). */
      if (j + 1 < n - j - 1)
        {
          quicksort (a, j + 1);
          a += j + 1;
          n -= j + 1;
        }
      else
        {
          quicksort (a + j + 1, n - j - 1);
          n = j + 1;
        }
    }
  insertion_sort (a, n);
}

int
main (int argc, char *argv[])
{
  uint32_t state, sum = 0, x = 0, sum2 = 0, x2 = 0;
  size_t i;

  if (argc != 2)
    fail ("usage: vm-sort SEED");
  state = atoi (argv[1]) * 7919u + 1;
  for (i = 0; i < N; i++)
    {
      state = state * 1103515245u + 12345u;
      arr[i] = (int) (state >> 1);
      sum += arr[i];
      x ^= arr[i];
    }
  quicksort (arr, N);
  for (i = 0; i < N; i++)
    {
      if (i > 0 && arr[i - 1] > arr[i])
        fail ("seed %s: a[%zu] > a[%zu]", argv[1], i - 1, i);
      sum2 += arr[i];
      x2 ^= arr[i];
    }
  if (sum != sum2 || x != x2)
    fail ("seed %s: the sorted values are not the ones generated", argv[1]);
  return 0;
}
