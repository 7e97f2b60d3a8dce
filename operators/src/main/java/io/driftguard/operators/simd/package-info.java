/**
 * The switch ({@link io.driftguard.operators.simd.Simd}) between the statistics' Vector API kernels
 * and their scalar loops: the kernels run only when the JVM was started with {@code --add-modules
 * jdk.incubator.vector}.
 */
package io.driftguard.operators.simd;
